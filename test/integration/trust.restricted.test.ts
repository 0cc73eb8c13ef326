// A window in Restricted Mode (Workspace Trust on, the folder not trusted): Comet still chats, but offers no
// workspace tools and says why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { textReply, toolCallReply } from '../support/openaiTestServer';
import { askComet, setUpComet } from './helpers';


describe('Comet in Restricted Mode', () => {
  it('chats without tools, and the answer says the tools are off and why', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this window should be in Restricted Mode');
    const server = await setUpComet();
    try {
      // Were the tools offered, this call would read the file; it must not be, and no request may carry tools.
      server.enqueue(toolCallReply([{ id: 'call_1', name: 'read_file', args: { path: 'src/math.ts' } }]), textReply(['Fine.']));
      const shown = await askComet('Read src/math.ts');
      const [request] = server.chatRequests();
      assert.equal(request.body.tools, undefined, 'tools were offered in Restricted Mode');
      assert.equal(server.chatRequests().length, 1, 'a tool round ran');
      assert.match(shown.at(-1)!.text, /Restricted Mode/);
    } finally {
      await server.close();
    }
  });
});
