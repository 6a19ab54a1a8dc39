// console.js: the graphgate console, GraphiQL (npm graphiql 3, its UMD build) wired to graphgate.
//
// Queries and mutations are POSTed to the GraphQL path with the headers of GraphiQL's Headers tab
// (x-api-key, or Authorization with a JWT); subscriptions go over a websocket to the same path
// with the graphql-transport-ws protocol (npm graphql-ws's client), the same headers being the
// connection_init payload, where graphgate reads the credentials. One websocket client is kept
// while the headers stay the same; new headers make a new one. React, ReactDOM, graphqlWs and
// GraphiQL are the globals of the UMD files the page loads before this one.
(function () {
  'use strict';
  const root = document.getElementById('console');
  const endpoint = root.dataset.endpoint;
  const socketUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + endpoint;

  let socket = null;
  let socketHeaders = '';
  function socketFor(headers) {
    const key = JSON.stringify(headers);
    if (socket === null || key !== socketHeaders) {
      if (socket !== null) socket.dispose();
      socket = graphqlWs.createClient({ url: socketUrl, connectionParams: headers, lazy: true, retryAttempts: 0 });
      socketHeaders = key;
    }
    return socket;
  }

  // Whether the operation GraphiQL runs is a subscription (GraphiQL passes the parsed document).
  function isSubscription(params, documentAST) {
    if (!documentAST) return false;
    const operations = documentAST.definitions.filter((d) => d.kind === 'OperationDefinition');
    const chosen = params.operationName
      ? operations.find((d) => d.name && d.name.value === params.operationName)
      : operations[0];
    return chosen !== undefined && chosen.operation === 'subscription';
  }

  async function overHttp(params, headers) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: Object.assign(
        { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        headers,
      ),
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      return { errors: [{ message: 'HTTP ' + response.status + ': ' + text }] };
    }
  }

  function fetcher(params, options) {
    const headers = (options && options.headers) || {};
    if (isSubscription(params, options && options.documentAST)) return socketFor(headers).iterate(params);
    return overHttp(params, headers);
  }

  const defaultQuery =
    '# graphgate console. Run an operation with Ctrl-Enter or the run button; subscriptions\n' +
    '# stay open and show each event. Credentials go in the Headers tab below.\n' +
    '{\n  __typename\n}\n';
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: '{\n  "x-api-key": ""\n}',
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    }),
  );
})();
