use crate::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that cannot be read or parsed: invalid HCL or JSON, a file that is not
    /// text, or a file too large to check. Also an argument outside any block of a `.tf`
    /// file, which HCL accepts and Terraform refuses; there the file's blocks are still checked.
    ///
    /// ## Why is this bad?
    /// What cannot be parsed cannot be checked: a broken file hides every finding in it. The
    /// diagnostic points where the parser stopped, and the other files are still checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({})
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform configuration syntax](https://developer.hashicorp.com/terraform/language/syntax/configuration)
    pub struct ParseError {}
    id: "parse-error", finding: None, summary: "a file that cannot be parsed",
}

impl Rule for ParseError {}
