// page.js: the test page of datastore_client.test.mjs, bundled by esbuild with the models written by
// models.mjs (imported as 'gg-models'): the real Amplify JS v6 DataStore (npm @aws-amplify/datastore
// through aws-amplify), configured as an app would, with a few functions on window.gg for the test
// to drive it (save, update, delete, read the local store) and the DataStore Hub events it saw.
// Scenarios with other models drive DataStore and the models (window.gg.DataStore, .models) directly.
import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import { decodeJWT } from '@aws-amplify/core';
import { AuthModeStrategyType, DataStore } from '@aws-amplify/datastore';
import * as models from 'gg-models';

const { Sticky } = models;
const events = [];
const conflicts = [];
const errors = []; // what DataStore's errorHandler was told (refused syncs, subscriptions, mutations)
let ready = false;
let outboxEmpty = true;

Hub.listen('datastore', ({ payload }) => {
  events.push({ event: payload.event, data: JSON.parse(JSON.stringify(payload.data ?? null)) });
  if (window.ggLogHub) console.log('hub', payload.event, JSON.stringify(payload.data ?? null).slice(0, 300));
  if (payload.event === 'ready') ready = true;
  if (payload.event === 'outboxStatus') outboxEmpty = payload.data.isEmpty;
});

const plain = (n) => ({
  id: n.id,
  title: n.title,
  tags: n.tags ?? null,
  rank: n.rank ?? null,
  _version: n._version,
  _deleted: Boolean(n._deleted),
});

window.gg = {
  DataStore,
  models,
  // endpoint: the GraphQL URL; merge: under OPTIMISTIC_CONCURRENCY, the app's conflict handler
  // keeps the local title and rank over the server's row (re-sent with the server's _version);
  // token: a signed-in user's OIDC JWT (Amplify's token provider hands it out as both the ID and
  // the access token), with DataStore's MULTI_AUTH picking each model's auth mode from its rules.
  async start({ endpoint, apiKey, merge, token }) {
    const tokens = token ? { accessToken: decodeJWT(token), idToken: decodeJWT(token) } : null;
    Amplify.configure(
      { API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } },
      { Auth: { tokenProvider: { getTokens: async () => tokens } } },
    );
    DataStore.configure({
      syncPageSize: 100,
      ...(token ? { authModeStrategyType: AuthModeStrategyType.MULTI_AUTH } : {}),
      errorHandler: (e) => errors.push(`${e.process} ${e.operation} ${e.errorType}: ${e.message}`),
      conflictHandler: async ({ localModel, remoteModel, operation, attempts }) => {
        conflicts.push({ operation, attempts, local: plain(localModel), remote: plain(remoteModel) });
        if (!merge || operation === 'DELETE') return remoteModel;
        return Sticky.copyOf(remoteModel, (d) => {
          d.title = localModel.title;
          d.rank = localModel.rank;
        });
      },
    });
    await DataStore.start();
    const until = Date.now() + 20000;
    while (!ready && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (!ready) throw new Error(`DataStore not ready; events ${JSON.stringify(events.map((e) => e.event))}`);
  },
  async create(fields) {
    return plain(await DataStore.save(new Sticky(fields)));
  },
  async update(id, fields) {
    const current = await DataStore.query(Sticky, id);
    if (!current) throw new Error(`no local Sticky ${id}`);
    return plain(
      await DataStore.save(
        Sticky.copyOf(current, (d) => {
          Object.assign(d, fields);
        }),
      ),
    );
  },
  async remove(id) {
    const current = await DataStore.query(Sticky, id);
    if (!current) throw new Error(`no local Sticky ${id}`);
    await DataStore.delete(current);
  },
  // The local store's live rows, sorted by id.
  async rows() {
    return (await DataStore.query(Sticky)).map(plain).sort((a, b) => a.id.localeCompare(b.id));
  },
  state: () => ({ ready, outboxEmpty, conflicts, errors, events: events.map((e) => e.event) }),
  events: () => events,
};
