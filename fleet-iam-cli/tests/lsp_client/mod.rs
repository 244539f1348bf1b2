//! A language client for tests and the latency bench: it starts `fleet-iam lsp` and speaks to it
//! with `lsp-server`'s `Message` types over its stdin and stdout, keeping every message the
//! server sent (and its stderr) for the secret checks.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for the server to say something it must say.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Message>,
    /// Messages received but not yet asked for.
    queue: VecDeque<Message>,
    next_id: i32,
    /// Every message the server sent, as JSON.
    pub received: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

/// `file://` URI of an absolute path (ASCII paths only, as the tests make).
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

impl Client {
    /// Starts `fleet-iam lsp` in `dir` and initializes it with `capabilities` and
    /// `initialization_options`.
    pub fn start(dir: &Path, capabilities: Value, options: Value) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fleet-iam"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start fleet-iam lsp");
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = Message::read(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = child_stderr.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        let stdin = child.stdin.take();
        let mut client =
            Client { child, stdin, incoming, queue: VecDeque::new(), next_id: 1, received: Vec::new(), stderr };
        let params = json!({
            "processId": null,
            "rootUri": uri(dir),
            "capabilities": capabilities,
            "initializationOptions": options,
        });
        let result = client.request("initialize", params).expect("initialize succeeds");
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, message: Message) {
        message.write(self.stdin.as_mut().expect("stdin open")).expect("write to the server");
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.to_string(), params).into());
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)` as JSON.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = RequestId::from(self.next_id);
        self.next_id += 1;
        self.send(Request::new(id.clone(), method.to_string(), params).into());
        let response = self.wait(|m| matches!(m, Message::Response(r) if r.id == id));
        let Message::Response(Response { response_result, .. }) = response else { unreachable!() };
        response_result.map_err(|e| serde_json::to_value(e).unwrap())
    }

    /// The next message that `wanted` accepts, received before or now; others are kept.
    pub fn wait(&mut self, wanted: impl Fn(&Message) -> bool) -> Message {
        self.wait_for(wanted, PATIENCE).unwrap_or_else(|| panic!("no awaited message from the server in {PATIENCE:?}"))
    }

    /// As [`Client::wait`], giving up after `patience`.
    pub fn wait_for(&mut self, wanted: impl Fn(&Message) -> bool, patience: Duration) -> Option<Message> {
        if let Some(at) = self.queue.iter().position(&wanted) {
            return self.queue.remove(at);
        }
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.received.push(serde_json::to_string(&message).unwrap());
                    if wanted(&message) {
                        return Some(message);
                    }
                    self.queue.push_back(message);
                }
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its stdout"),
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`: its diagnostics.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait(|m| is_diagnostics_for(m, uri));
        let Message::Notification(n) = message else { unreachable!() };
        n.params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// The `publishDiagnostics` received so far for `uri`, dropped from the queue: the last one.
    pub fn latest_diagnostics(&mut self, uri: &str) -> Option<Vec<Value>> {
        let mut last = None;
        while let Some(Message::Notification(n)) = self.wait_for(|m| is_diagnostics_for(m, uri), Duration::ZERO) {
            last = Some(n.params["diagnostics"].as_array().cloned().unwrap_or_default());
        }
        last
    }

    /// Opens a buffer.
    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": language, "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    /// Replaces a buffer's text.
    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        let params = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "text": text }],
        });
        self.notify("textDocument/didChange", params);
    }

    /// `shutdown` then `exit`: the server's exit status.
    pub fn shutdown(mut self) -> (Option<i32>, Vec<String>, String) {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Ok(Value::Null), "shutdown answers null");
        self.notify("exit", Value::Null);
        self.finish()
    }

    /// Closes stdin and waits for the server: its exit status, every message and its stderr.
    pub fn finish(mut self) -> (Option<i32>, Vec<String>, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        };
        while let Ok(message) = self.incoming.recv_timeout(Duration::from_millis(200)) {
            self.received.push(serde_json::to_string(&message).unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
        let stderr = self.stderr.lock().unwrap().clone();
        (status.code(), std::mem::take(&mut self.received), stderr)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `message` publishes diagnostics for `uri`.
pub fn is_diagnostics_for(message: &Message, uri: &str) -> bool {
    matches!(message, Message::Notification(n)
        if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
}
