import { expect, it } from 'vitest';
import * as client from '../src/client';
import * as api from '../src/index';

it('pins the exported names of @relaykit/chat-ui/client', () => {
  expect(Object.keys(client).sort()).toEqual([
    'AGENT_ANNOTATION_ID',
    'ChatKitRequestError',
    'THREAD_EXPORT_VERSION',
    'agentOfItem',
    'applyItemEvent',
    'applyItemUpdate',
    'createChatController',
    'createChatKitClient',
    'describeError',
    'errorOfResponse',
    'exportFileName',
    'isAbortError',
    'isHiddenItem',
    'itemText',
    'mapWidgetComponent',
    'networkError',
    'retryAfterMsOf',
    'threadToJSON',
    'threadToMarkdown',
    'titleFromMessage',
    'userInput',
    'visibleItems',
    'widgetText',
  ]);
});

it('pins the exported names of @relaykit/chat-ui (the client names plus the React parts)', () => {
  const react = Object.keys(api).filter((name) => !(name in client));
  expect(react.sort()).toEqual([
    'Chat',
    'ChatControlContext',
    'CodeBlock',
    'Composer',
    'CopyButton',
    'Icon',
    'Markdown',
    'MessageList',
    'ThreadItemView',
    'ThreadList',
    'Widget',
    'copyText',
    'formatWait',
    'threadTitle',
    'useChatKit',
    'useChatState',
    'useThread',
    'useThreads',
    'widgetColor',
  ]);
});
