//! `fleet-iam lsp`: the language server, over stdin and stdout, on `lsp-server` (the JSON-RPC
//! transport) and `lsp-types` (the protocol's types).
//!
//! - Open files (`.tf`, `.tf.json`, `.tfvars`, IAM policy `.json`) are checked as they are typed:
//!   on `didOpen` at once, on `didChange` after a short pause (`debounceMs` in the
//!   initialization options, 150 by default). A check covers the file's whole module (its
//!   directory), read from disk with open buffers in place of their files ([`module`]), and
//!   publishes the diagnostics of every file of the module that has some, clearing the files that
//!   no longer do.
//! - Positions are UTF-16 code units unless the client offers UTF-8 ([`text`]).
//! - Hover on a finding shows its rule's documentation; code actions offer to ignore the rule
//!   there ([`actions`]).
//! - Bad input becomes a diagnostic or an error response: a panic in a handler is caught and
//!   answered as an internal error, and the server goes on until `shutdown` and `exit`.

mod actions;
mod convert;
mod module;
mod text;

use crossbeam_channel::RecvTimeoutError;
use fleet_iam_core::{Diagnostic, SourceKind};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notifications, Notification as _};
use lsp_types::request::{self as requests, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability, InitializeParams,
    PositionEncodingKind, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use module::Checked;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use text::{Encoding, Lines};

/// The pause after a change before the check, unless the client sets `debounceMs`.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// How long past its time a check may wait for messages still coming in.
const STARVED: Duration = Duration::from_millis(50);

/// Serves one client over stdin and stdout until it sends `exit`, or closes stdin. Exits 0 when
/// `shutdown` came before `exit`, 1 otherwise (as the protocol says).
pub fn run() -> anyhow::Result<ExitCode> {
    // A panic message could quote input: say only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("fleet-iam lsp: internal error{at}; the request was answered with an error");
    }));
    let (connection, io_threads) = Connection::stdio();
    // The parsers and fixes recurse deeply on the deepest inputs the core accepts: the server
    // runs on a thread with the stack the core's workers have.
    let server = std::thread::Builder::new().stack_size(16 << 20).spawn(move || serve(connection))?;
    let code = server.join().map_err(|_| anyhow::anyhow!("the language server stopped on an internal error"))?;
    // The transport's errors may quote what the client sent (a buffer, with its secrets): they
    // are not shown.
    if io_threads.join().is_err() {
        eprintln!("fleet-iam lsp: the client sent something that is not an LSP message; stopping");
    }
    Ok(code)
}

fn serve(connection: Connection) -> ExitCode {
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        // The client went away before initializing.
        Err(_) => return ExitCode::FAILURE,
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let offers_utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
    let encoding = if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let debounce = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("debounceMs"))
        .and_then(serde_json::Value::as_u64)
        .map_or(DEBOUNCE, Duration::from_millis);
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "fleet-iam".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    if connection.initialize_finish(id, result).is_err() {
        return ExitCode::FAILURE;
    }
    let mut server = Server {
        connection: &connection,
        encoding,
        debounce,
        open: BTreeMap::new(),
        pending: BTreeMap::new(),
        modules: BTreeMap::new(),
    };
    server.main_loop()
}

/// An open file.
struct Document {
    uri: Uri,
    version: i32,
    text: String,
}

/// A diagnostic as published, with the core's diagnostic it came from (none for a module that
/// could not be checked).
struct Finding {
    core: Option<Diagnostic>,
    lsp: lsp_types::Diagnostic,
}

/// The published findings of one file: its URI and findings.
type FileFindings = (Uri, Vec<Finding>);

/// What the last check of a module published.
struct Published {
    /// The check, for hover and code actions.
    checked: Option<Checked>,
    /// The findings of each file of the module published with some, and of its open files.
    files: BTreeMap<PathBuf, FileFindings>,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    debounce: Duration,
    /// Open files, by path.
    open: BTreeMap<PathBuf, Document>,
    /// Modules (directories) to check, and when.
    pending: BTreeMap<PathBuf, Instant>,
    /// Modules with open files: what their last check published.
    modules: BTreeMap<PathBuf, Published>,
}

/// An error response's code and message.
type Failure = (ErrorCode, String);

impl Server<'_> {
    fn main_loop(&mut self) -> ExitCode {
        let mut shutting_down = false;
        loop {
            // Checks wait for the messages already sent (a burst of changes is checked once),
            // but not forever: a client that never stops sending still gets its diagnostics.
            let starved = Instant::now()
                .checked_sub(self.debounce.max(STARVED))
                .is_some_and(|before| self.pending.values().any(|due| *due <= before));
            if starved {
                self.check_due();
            }
            let next = self.pending.values().min().copied();
            let received = match next {
                Some(deadline) => self.connection.receiver.recv_deadline(deadline),
                None => self.connection.receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let message = match received {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    self.check_due();
                    continue;
                }
                // stdin closed without `exit`.
                Err(RecvTimeoutError::Disconnected) => return ExitCode::FAILURE,
            };
            match message {
                Message::Request(request) if shutting_down => {
                    let message = "the server is shutting down".to_string();
                    self.send(Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message).into());
                }
                Message::Request(request) if request.method == requests::Shutdown::METHOD => {
                    shutting_down = true;
                    self.send(Response::new_ok(request.id, ()).into());
                }
                Message::Request(request) => self.request(request),
                Message::Notification(n) if n.method == notifications::Exit::METHOD => {
                    return if shutting_down { ExitCode::SUCCESS } else { ExitCode::FAILURE };
                }
                Message::Notification(_) if shutting_down => {}
                Message::Notification(notification) => {
                    // A handler that panics loses that notification, not the server.
                    let _ = catch_unwind(AssertUnwindSafe(|| self.notification(notification)));
                }
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        // The writer is gone only when the client is: the next receive ends the loop.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let answer = catch_unwind(AssertUnwindSafe(|| self.answer(request)))
            .unwrap_or_else(|_| Err((ErrorCode::InternalError, "internal error".to_string())));
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response.into());
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, Failure> {
        fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Failure> {
            // The error's position only: its message may quote the parameters.
            serde_json::from_value(request.params).map_err(|e| {
                (ErrorCode::InvalidParams, format!("invalid parameters ({:?} error)", e.classify()).to_lowercase())
            })
        }
        fn json(value: impl serde::Serialize) -> Result<serde_json::Value, Failure> {
            serde_json::to_value(value).map_err(|_| (ErrorCode::InternalError, "internal error".to_string()))
        }
        match request.method.as_str() {
            requests::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = params(request)?;
                let at = params.text_document_position_params;
                let path = self.open_path(&at.text_document.uri)?;
                json(self.hover(&path, at.position))
            }
            requests::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = params(request)?;
                let path = self.open_path(&params.text_document.uri)?;
                json(self.code_actions(&path, params.range))
            }
            method => Err((ErrorCode::MethodNotFound, format!("fleet-iam does not handle `{method}`"))),
        }
    }

    /// The path of an open file, or the error response for a document the server does not know.
    fn open_path(&self, uri: &Uri) -> Result<PathBuf, Failure> {
        let unknown = || (ErrorCode::InvalidParams, format!("`{}` is not an open document", uri.as_str()));
        let path = text::uri_to_path(uri).ok_or_else(unknown)?;
        if self.open.contains_key(&path) { Ok(path) } else { Err(unknown()) }
    }

    fn notification(&mut self, notification: Notification) {
        fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
            serde_json::from_value(n.params).ok()
        }
        let now = Instant::now();
        match notification.method.as_str() {
            notifications::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(notification) else { return };
                let Some(path) = text::uri_to_path(&p.text_document.uri) else { return };
                let Some(dir) = path.parent().map(Path::to_path_buf) else { return };
                let document =
                    Document { uri: p.text_document.uri, version: p.text_document.version, text: p.text_document.text };
                self.var_file_changed(&path, now);
                self.open.insert(path, document);
                self.schedule(dir, now);
            }
            notifications::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(notification) else { return };
                let Some(path) = text::uri_to_path(&p.text_document.uri) else { return };
                let encoding = self.encoding;
                let Some(document) = self.open.get_mut(&path) else { return };
                for change in p.content_changes {
                    match change.range {
                        // Only full texts are asked for; a client may still send ranges.
                        Some(range) => {
                            let lines = Lines::new(&document.text);
                            let start = lines.offset(&document.text, range.start, encoding);
                            let end = lines.offset(&document.text, range.end, encoding).max(start);
                            document.text.replace_range(start..end, &change.text);
                        }
                        None => document.text = change.text,
                    }
                }
                document.version = p.text_document.version;
                if let Some(dir) = path.parent() {
                    self.schedule(dir.to_path_buf(), now + self.debounce);
                }
                self.var_file_changed(&path, now + self.debounce);
            }
            notifications::DidSaveTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(notification) else { return };
                let Some(path) = text::uri_to_path(&p.text_document.uri) else { return };
                if let Some(dir) = path.parent().filter(|d| self.modules.contains_key(*d)) {
                    self.schedule(dir.to_path_buf(), now);
                }
            }
            notifications::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(notification) else { return };
                let Some(path) = text::uri_to_path(&p.text_document.uri) else { return };
                self.open.remove(&path);
                self.var_file_changed(&path, now);
                let Some(dir) = path.parent() else { return };
                if self.open.keys().any(|p| p.parent() == Some(dir)) {
                    self.schedule(dir.to_path_buf(), now);
                } else {
                    // No file of the module is open any more: its diagnostics go.
                    self.pending.remove(dir);
                    if let Some(published) = self.modules.remove(dir) {
                        for (path, (uri, _)) in published.files {
                            self.publish(&path, uri, Vec::new());
                        }
                    }
                }
            }
            notifications::DidChangeWatchedFiles::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(notification) else { return };
                let paths: Vec<PathBuf> = p.changes.iter().filter_map(|c| text::uri_to_path(&c.uri)).collect();
                // A configuration file may be above the modules it configures.
                let dirs: BTreeSet<PathBuf> = if paths.iter().any(|p| p.ends_with(crate::config::FILE_NAME)) {
                    self.modules.keys().cloned().collect()
                } else {
                    let dirs = paths.iter().filter_map(|p| p.parent());
                    dirs.filter(|d| self.modules.contains_key(*d)).map(Path::to_path_buf).collect()
                };
                for dir in dirs {
                    self.schedule(dir, now + self.debounce);
                }
            }
            _ => {}
        }
    }

    /// A variable file may be a configuration's `var-files` entry of any module: each module
    /// checked so far is checked again at `when`.
    fn var_file_changed(&mut self, path: &Path, when: Instant) {
        if is_var_file(path) {
            let dirs: Vec<PathBuf> = self.modules.keys().cloned().collect();
            for dir in dirs {
                self.schedule(dir, when);
            }
        }
    }

    /// Checks `dir` at `when`. A later change moves a debounced check later; a check due
    /// earlier (a file just opened) stays due then.
    fn schedule(&mut self, dir: PathBuf, when: Instant) {
        let due = self.pending.entry(dir).or_insert(when);
        if *due > Instant::now() {
            *due = when;
        }
    }

    fn check_due(&mut self) {
        let now = Instant::now();
        let due: Vec<PathBuf> = self.pending.iter().filter(|(_, at)| **at <= now).map(|(d, _)| d.clone()).collect();
        for dir in due {
            if catch_unwind(AssertUnwindSafe(|| self.check(&dir))).is_err() {
                self.pending.remove(&dir);
            }
        }
    }

    /// Runs a pending check of `path`'s module now, so that an answer sees the text as it is.
    fn flush(&mut self, path: &Path) {
        if let Some(dir) = path.parent().filter(|d| self.pending.contains_key(*d)) {
            self.check(&dir.to_path_buf());
        }
    }

    /// The texts of the open files of the module `dir`.
    /// The open buffers of the module `dir`, and every open variable file (a configuration's
    /// `var-files` may name one elsewhere).
    fn open_texts(&self, dir: &Path) -> BTreeMap<PathBuf, String> {
        let wanted = |p: &Path| p.parent() == Some(dir) || is_var_file(p);
        self.open.iter().filter(|(p, _)| wanted(p)).map(|(p, d)| (p.clone(), d.text.clone())).collect()
    }

    fn uri_of(&self, path: &Path) -> Option<Uri> {
        match self.open.get(path) {
            Some(document) => Some(document.uri.clone()),
            None => text::path_to_uri(path),
        }
    }

    /// Checks the module `dir` and publishes what it finds.
    fn check(&mut self, dir: &PathBuf) {
        self.pending.remove(dir);
        if !self.open.keys().any(|p| p.parent() == Some(dir.as_path())) {
            return;
        }
        let mut files: BTreeMap<PathBuf, FileFindings> = BTreeMap::new();
        let checked = match module::check(dir, &self.open_texts(dir)) {
            Ok(checked) => {
                self.findings(&checked, &mut files);
                Some(checked)
            }
            Err(trouble) => {
                // Said on every open file of the module, at its start.
                for (path, document) in self.open.iter().filter(|(p, _)| p.parent() == Some(dir.as_path())) {
                    let lsp = lsp_types::Diagnostic {
                        severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                        source: Some(convert::SOURCE.to_string()),
                        message: trouble.message.clone(),
                        ..lsp_types::Diagnostic::default()
                    };
                    files.insert(path.clone(), (document.uri.clone(), vec![Finding { core: None, lsp }]));
                }
                None
            }
        };
        // Every open file of the module is published, with nothing when it has nothing: the client
        // then knows the state of each buffer it sent, from its first check on.
        for (path, document) in self.open.iter().filter(|(p, _)| p.parent() == Some(dir.as_path())) {
            files.entry(path.clone()).or_insert_with(|| (document.uri.clone(), Vec::new()));
        }
        let before = self.modules.remove(dir).map(|p| p.files).unwrap_or_default();
        for (path, (uri, _)) in before {
            if !files.contains_key(&path) {
                self.publish(&path, uri, Vec::new());
            }
        }
        for (path, (uri, findings)) in &files {
            self.publish(path, uri.clone(), findings.iter().map(|f| f.lsp.clone()).collect());
        }
        self.modules.insert(dir.clone(), Published { checked, files });
    }

    /// The findings of a check in the files of its module, by file.
    fn findings(&self, checked: &Checked, files: &mut BTreeMap<PathBuf, FileFindings>) {
        let uri_of = |path: &Path| self.uri_of(path);
        let mut read = convert::Files::new(checked, &uri_of);
        for d in &checked.report.diagnostics {
            // Only the module's files: an `[[ignore]]` entry of the configuration ("suppresses
            // nothing") is about the whole tree, which the editor does not check.
            if !checked.paths.contains_key(&d.location.path) {
                continue;
            }
            let Some((path, file)) = read.get(&d.location.path) else { continue };
            let (path, uri) = (path.to_path_buf(), file.uri.clone());
            let range = file.lines.range(&file.text, &d.location, self.encoding);
            let lsp = convert::diagnostic(d, range, &mut read, self.encoding);
            files.entry(path).or_insert_with(|| (uri, Vec::new())).1.push(Finding { core: Some(d.clone()), lsp });
        }
    }

    fn publish(&self, path: &Path, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        let version = self.open.get(path).map(|d| d.version);
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.send(Notification::new(notifications::PublishDiagnostics::METHOD.to_string(), params).into());
    }

    /// The published findings of an open file and its check, once a pending check has run.
    fn file(&mut self, path: &Path) -> Option<(&Checked, &[Finding])> {
        self.flush(path);
        let published = self.modules.get(path.parent()?)?;
        let findings = published.files.get(path).map_or(&[][..], |(_, f)| f.as_slice());
        Some((published.checked.as_ref()?, findings))
    }

    fn hover(&mut self, path: &Path, position: lsp_types::Position) -> Option<lsp_types::Hover> {
        let (_, findings) = self.file(path)?;
        let here = lsp_types::Range { start: position, end: position };
        let found: Vec<(&Diagnostic, lsp_types::Range)> = findings
            .iter()
            .filter(|f| text::touches(&f.lsp.range, &here))
            .filter_map(|f| Some((f.core.as_ref()?, f.lsp.range)))
            .collect();
        actions::hover(&found)
    }

    fn code_actions(&mut self, path: &Path, range: lsp_types::Range) -> Option<Vec<lsp_types::CodeActionOrCommand>> {
        let encoding = self.encoding;
        self.flush(path);
        let uri = self.open.get(path)?.uri.clone();
        let dir = path.parent()?.to_path_buf();
        let open = self.open_texts(&dir);
        let text = open.get(path)?.clone();
        let (checked, findings) = self.file(path)?;
        let file = actions::File { uri: &uri, text: &text, lines: Lines::new(&text), encoding };
        let recheck = |edited: &str| {
            let mut open = open.clone();
            open.insert(path.to_path_buf(), edited.to_string());
            module::check(&dir, &open).ok()
        };
        let mut out = Vec::new();
        for finding in findings.iter().filter(|f| text::touches(&f.lsp.range, &range)) {
            let Some(core) = &finding.core else { continue };
            out.extend(actions::for_finding(&file, checked, core, &finding.lsp, &recheck));
        }
        Some(out)
    }
}

/// A `.tfvars` or `.tfvars.json` file, as the check reads its kind.
fn is_var_file(path: &Path) -> bool {
    let kind = SourceKind::detect(&path.to_string_lossy(), "");
    matches!(kind, Some(SourceKind::Tfvars | SourceKind::TfvarsJson))
}
