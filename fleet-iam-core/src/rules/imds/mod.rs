//! IMDS: instances, launch templates and node groups that do not require IMDSv2, and hop
//! limits that let containers reach the instance's credentials.

pub mod hop_limit;
pub mod imdsv2_required;
