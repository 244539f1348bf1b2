/* Odd but valid formatting around the fixes: nothing outside the edited attributes moves. */
terraform {
	required_version = ">= 1.5"   # tabs, and spaces before this comment
}

// A variable with trailing spaces and a heredoc description.   
variable "db_password" {
  description = <<-EOT
    The database password.
      Indented on purpose.
  EOT
  type = string
}

locals   {
  tags    = { team = "platform",   env = "prod" } # unaligned on purpose
}

resource "aws_instance" "web" {
  ami = "ami-0c55b159cbfafe1f0" # no alignment
  instance_type           = "t3.micro"
  tags = local.tags
  metadata_options {
    http_tokens = "optional" /* inline block comment */
  }
}

output "db_password" {
  value = var.db_password
  # the last line of this file has no line break
}