//! Source names as paths: `/`-separated, `.` and `..` resolved, without touching the file
//! system.

/// `dir/relative` with `.` and `..` segments resolved and `/` separators.
pub(crate) fn join(dir: &str, relative: &str) -> String {
    normalize(&if dir.is_empty() { relative.to_string() } else { format!("{dir}/{relative}") })
}

pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') { format!("/{joined}") } else { joined }
}

/// The directory part of a source name, `/`-separated.
pub(crate) fn dir_of(name: &str) -> String {
    let name = normalize(name);
    match name.rfind('/') {
        Some(i) => name[..i].to_string(),
        None => String::new(),
    }
}
