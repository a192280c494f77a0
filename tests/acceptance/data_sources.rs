//! The data sources under real Terraform: what they read, and the errors that name what is
//! missing.
