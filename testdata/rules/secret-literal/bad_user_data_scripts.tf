resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"

  metadata_options {
    http_tokens = "required"
  }

  user_data = <<-EOF
    #!/bin/bash
    yum install -y postgresql15
    export PGHOST=db.internal
    export PGPASSWORD=ud-fixture-pw-8h3m
    API_TOKEN=Ud-fixture-tok-4n7x /opt/app/bin/migrate
  EOF
}

resource "aws_launch_template" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"

  metadata_options {
    http_tokens = "required"
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "REDIS_AUTH_TOKEN=Lt-fixture-tok-7c5d" >> /etc/workers.env
  EOT
  )
}

resource "aws_instance" "legacy" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "required"
  }

  user_data_base64 = "IyEvYmluL2Jhc2gKc2V0IC1ldW8gcGlwZWZhaWwKZXhwb3J0IEFQUF9FTlY9cHJvZHVjdGlvbgpleHBvcnQgREJfUEFTU1dPUkQ9ImI2NC1maXh0dXJlLXB3LTZyMXYiCi9vcHQvYXBwL2Jpbi9zdGFydAo="
}
