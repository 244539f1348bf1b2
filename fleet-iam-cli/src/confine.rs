//! The part of the file system a check may read on its own: the repository that holds the
//! checked paths, or the checked directories themselves outside a repository. A symbolic link or
//! a `modules.json` entry that leads elsewhere (to `/etc`, `~/.git-credentials`, `/`) is not
//! followed, so that no file the user did not point at is read, shown or walked.

use std::path::{Path, PathBuf};

/// The directories a check stays inside, resolved (symbolic links and `..` followed), as the
/// targets compared with them are.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    dirs: Vec<PathBuf>,
}

impl Confinement {
    /// The area of each directory in `roots`: its repository, else itself. Files and paths that
    /// do not exist add nothing: a file named on the command line is read whatever it is.
    pub fn of(roots: &[PathBuf]) -> Confinement {
        let mut dirs: Vec<PathBuf> = roots
            .iter()
            .filter_map(|root| std::fs::canonicalize(root).ok())
            .filter(|root| root.is_dir())
            .map(|root| repository(&root).map_or_else(|| root.clone(), Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        Confinement { dirs }
    }

    /// Whether the resolved path `target` lies inside the area.
    pub fn contains(&self, target: &Path) -> bool {
        self.dirs.iter().any(|dir| target.starts_with(dir))
    }

    /// Where `path` leads, when that is outside the area: `None` when it stays inside, and when
    /// it cannot be resolved (a dangling link, a loop), since then nothing is read through it
    /// and reading it reports why.
    pub fn escape(&self, path: &Path) -> Option<PathBuf> {
        let target = std::fs::canonicalize(path).ok()?;
        (!self.contains(&target)).then_some(target)
    }
}

/// The repository that holds the resolved directory `dir`: the nearest ancestor (or `dir`
/// itself) with a `.git` entry, a directory or, in worktrees and submodules, a file.
pub fn repository(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| d.join(".git").symlink_metadata().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_is_the_repository_else_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/infra")).unwrap();
        std::fs::create_dir_all(top.join("plain/infra")).unwrap();
        std::fs::write(top.join("plain/infra/main.tf"), "").unwrap();

        let in_repo = Confinement::of(&[top.join("repo/infra")]);
        assert!(in_repo.contains(&top.join("repo/shared/main.tf")));
        assert!(!in_repo.contains(&top.join("outside.tf")));
        assert!(!in_repo.contains(&top.join("repository/main.tf")), "a path is not a string prefix");

        let plain = Confinement::of(&[top.join("plain/infra/../infra")]);
        assert!(plain.contains(&top.join("plain/infra/main.tf")));
        assert!(!plain.contains(&top.join("plain/shared/main.tf")));
        assert_eq!(plain.escape(&top.join("plain/infra/main.tf")), None);
        assert_eq!(plain.escape(&top.join("plain/infra/gone.tf")), None);
        assert_eq!(plain.escape(&top.join("repo")), Some(top.join("repo")));

        // A file adds nothing: only walked directories have an area.
        assert!(!Confinement::of(&[top.join("plain/infra/main.tf")]).contains(&top.join("plain/infra/main.tf")));
    }
}
