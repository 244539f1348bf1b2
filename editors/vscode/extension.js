// Starts `fleet-iam lsp` for Terraform and IAM policy files. The server checks each open file
// with the rest of its module from disk and the project's fleet-iam.toml.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('fleet-iam');
  const serverOptions = { command: config.get('path', 'fleet-iam'), args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/*.tf' },
      { scheme: 'file', pattern: '**/*.tfvars' },
      { scheme: 'file', pattern: '**/*.tf.json' },
      { scheme: 'file', pattern: '**/*.tfvars.json' },
      // IAM policy documents: the server tells them from other JSON by their content.
      { scheme: 'file', language: 'json' },
    ],
    initializationOptions: { debounceMs: config.get('debounceMs', 150) },
    // Files of an open module that change on disk (a `git checkout`, a `variables.tf` edited
    // elsewhere) are read again.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{tf,tfvars,json}'),
    },
  };
  client = new LanguageClient('fleet-iam', 'fleet-iam', serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
