// amplify_client.test.mjs: the real Amplify JS client (npm aws-amplify v6, pinned in package.json)
// against the real graphgate binary, as an app configured for an AppSync API_KEY endpoint would
// use it: Amplify.configure + generateClient() from aws-amplify/api, then client.graphql() with
// the operations exactly as `amplify codegen` writes them (every selection carries __typename,
// nested connections select only nextToken). It covers create, get, update (with a condition,
// and a failing condition that Amplify turns into a rejected promise carrying errorType), list
// pages followed by nextToken, an @index query with a sort-key condition, a composite primary
// key, a relation, unicode and AWSJSON round trips, and delete.
// The data lives in the PostgreSQL of scripts/test.sh (GRAPHGATE_TEST_DATABASE_URL), in this
// file's own tables (gg_it_amp_*, via @refersTo). Amplify only talks to the configured endpoint
// (API key mode makes no other request), so the test runs offline. Skipped without a database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { run, startModelServer } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
enum Category { BOOKS TOYS FOOD }
type Shop @model @refersTo(name: "gg_it_amp_shop") {
  name: String!
  products: [Product] @hasMany(references: ["shopId"])
}
type Product @model @refersTo(name: "gg_it_amp_product") {
  sku: String! @primaryKey
  title: String!
  category: Category! @index(name: "byCategory", sortKeyFields: ["price"], queryField: "productsByCategory")
  price: Float!
  tags: [String]
  attributes: AWSJSON
  shopId: ID
  shop: Shop @belongsTo(references: ["shopId"])
}
type Ticket @model @refersTo(name: "gg_it_amp_ticket") {
  code: String! @primaryKey
  id: ID!
  title: String
}
type Review @model @refersTo(name: "gg_it_amp_review") {
  productSku: String! @primaryKey(sortKeyFields: ["postedAt"])
  postedAt: AWSDateTime!
  stars: Int!
  text: String
}
`;

// The operations as amplify codegen (graphql/queries.js, mutations.js) writes them for SCHEMA.
const PRODUCT_FIELDS = `sku title category price tags attributes shopId
    shop { id name createdAt updatedAt __typename }
    createdAt updatedAt __typename`;
const createShop = /* GraphQL */ `mutation CreateShop($input: CreateShopInput!, $condition: ModelShopConditionInput) {
  createShop(input: $input, condition: $condition) { id name products { nextToken __typename } createdAt updatedAt __typename }
}`;
const getShop = /* GraphQL */ `query GetShop($id: ID!) {
  getShop(id: $id) { id name products { nextToken __typename } createdAt updatedAt __typename }
}`;
const createProduct = /* GraphQL */ `mutation CreateProduct($input: CreateProductInput!, $condition: ModelProductConditionInput) {
  createProduct(input: $input, condition: $condition) { ${PRODUCT_FIELDS} }
}`;
const updateProduct = /* GraphQL */ `mutation UpdateProduct($input: UpdateProductInput!, $condition: ModelProductConditionInput) {
  updateProduct(input: $input, condition: $condition) { ${PRODUCT_FIELDS} }
}`;
const deleteProduct = /* GraphQL */ `mutation DeleteProduct($input: DeleteProductInput!, $condition: ModelProductConditionInput) {
  deleteProduct(input: $input, condition: $condition) { ${PRODUCT_FIELDS} }
}`;
const getProduct = /* GraphQL */ `query GetProduct($sku: String!) {
  getProduct(sku: $sku) { ${PRODUCT_FIELDS} }
}`;
const listProducts = /* GraphQL */ `query ListProducts($sku: String, $filter: ModelProductFilterInput, $limit: Int, $nextToken: String, $sortDirection: ModelSortDirection) {
  listProducts(sku: $sku, filter: $filter, limit: $limit, nextToken: $nextToken, sortDirection: $sortDirection) {
    items { sku title category price tags attributes shopId createdAt updatedAt __typename }
    nextToken __typename
  }
}`;
const productsByCategory = /* GraphQL */ `query ProductsByCategory($category: Category!, $price: ModelFloatKeyConditionInput, $sortDirection: ModelSortDirection, $filter: ModelProductFilterInput, $limit: Int, $nextToken: String) {
  productsByCategory(category: $category, price: $price, sortDirection: $sortDirection, filter: $filter, limit: $limit, nextToken: $nextToken) {
    items { sku title category price tags attributes shopId createdAt updatedAt __typename }
    nextToken __typename
  }
}`;
const createReview = /* GraphQL */ `mutation CreateReview($input: CreateReviewInput!, $condition: ModelReviewConditionInput) {
  createReview(input: $input, condition: $condition) { productSku postedAt stars text createdAt updatedAt __typename }
}`;
const listReviews = /* GraphQL */ `query ListReviews($productSku: String, $postedAt: ModelStringKeyConditionInput, $filter: ModelReviewFilterInput, $limit: Int, $nextToken: String, $sortDirection: ModelSortDirection) {
  listReviews(productSku: $productSku, postedAt: $postedAt, filter: $filter, limit: $limit, nextToken: $nextToken, sortDirection: $sortDirection) {
    items { productSku postedAt stars text createdAt updatedAt __typename }
    nextToken __typename
  }
}`;

const TABLES = 'gg_it_amp_ticket, gg_it_amp_review, gg_it_amp_product, gg_it_amp_shop';
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
let srv;
let client;

before(async () => {
  if (skip) return;
  srv = await startModelServer({ schema: SCHEMA, tables: TABLES, dbUrl });

  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/api');
  Amplify.configure({
    API: { GraphQL: { endpoint: srv.url, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: 'da2-graphgateintegrationtest' } },
  });
  client = generateClient();
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
});

// Amplify rejects the promise when the answer has errors; the rejection carries data and errors.
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('the request succeeded');
}

test('create, get, update, delete as codegen writes them, with __typename and relations', { skip }, async () => {
  const shop = (await client.graphql({ query: createShop, variables: { input: { id: 'amp-shop', name: 'Corner shop' } } })).data.createShop;
  assert.equal(shop.__typename, 'Shop');
  assert.deepEqual(shop.products, { nextToken: null, __typename: 'ModelProductConnection' });
  assert.match(shop.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const title = 'Ünïcødé ✓ 日本語 🎉 "quoted" \\ back\nslash';
  const attributes = JSON.stringify({ pages: 300, lang: '日本語', nested: { x: null, list: [1, 2.5, true] } });
  let r = await client.graphql({ query: createProduct,
    variables: { input: { sku: 'AMP-1', title, category: 'BOOKS', price: 12.5, tags: ['paper', 'new'], attributes, shopId: 'amp-shop' } } });
  let p = r.data.createProduct;
  assert.equal(p.__typename, 'Product');
  assert.equal(p.title, title);
  assert.deepEqual(JSON.parse(p.attributes), JSON.parse(attributes));
  assert.deepEqual(p.tags, ['paper', 'new']);
  assert.deepEqual(p.shop, { id: 'amp-shop', name: 'Corner shop', createdAt: shop.createdAt, updatedAt: shop.updatedAt, __typename: 'Shop' });
  assert.equal(p.createdAt, p.updatedAt);

  r = await client.graphql({ query: getProduct, variables: { sku: 'AMP-1' } });
  assert.deepEqual(r.data.getProduct, p);

  r = await client.graphql({ query: updateProduct, variables: { input: { sku: 'AMP-1', price: 11 }, condition: { price: { eq: 12.5 } } } });
  assert.equal(r.data.updateProduct.price, 11);
  assert.equal(r.data.updateProduct.title, title);
  assert.equal(r.data.updateProduct.createdAt, p.createdAt);

  // The same condition no longer holds: Amplify rejects, with AppSync's error shape.
  const e = await rejection(client.graphql({ query: updateProduct, variables: { input: { sku: 'AMP-1', price: 10 }, condition: { price: { eq: 12.5 } } } }));
  assert.deepEqual(e.data, { updateProduct: null });
  assert.equal(e.errors.length, 1);
  assert.deepEqual(e.errors[0].path, ['updateProduct']);
  assert.equal(e.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');

  r = await client.graphql({ query: deleteProduct, variables: { input: { sku: 'AMP-1' } } });
  assert.equal(r.data.deleteProduct.price, 11);
  r = await client.graphql({ query: getProduct, variables: { sku: 'AMP-1' } });
  assert.deepEqual(r.data, { getProduct: null });
  r = await client.graphql({ query: getShop, variables: { id: 'amp-shop' } });
  assert.equal(r.data.getShop.name, 'Corner shop');
});

test('list pages follow nextToken; the @index query takes a sort-key condition and a filter', { skip }, async () => {
  const cats = ['BOOKS', 'TOYS', 'FOOD'];
  for (let i = 0; i < 30; i++) {
    await client.graphql({ query: createProduct,
      variables: { input: { sku: `P-${String(i).padStart(2, '0')}`, title: `Product ${i}`, category: cats[i % 3], price: i } } });
  }
  const seen = [];
  let nextToken = null;
  let pages = 0;
  do {
    const r = await client.graphql({ query: listProducts, variables: { limit: 7, nextToken } });
    assert.equal(r.data.listProducts.__typename, 'ModelProductConnection');
    seen.push(...r.data.listProducts.items.map((x) => x.sku));
    nextToken = r.data.listProducts.nextToken;
    pages++;
  } while (nextToken && pages < 20);
  assert.equal(pages, 5);
  assert.deepEqual([...seen].sort(), Array.from({ length: 30 }, (_, i) => `P-${String(i).padStart(2, '0')}`));

  const toys = [];
  nextToken = null;
  do {
    const r = await client.graphql({ query: productsByCategory,
      variables: { category: 'TOYS', price: { between: [5, 25] }, sortDirection: 'DESC', filter: { not: { price: { eq: 13 } } }, limit: 2, nextToken } });
    toys.push(...r.data.productsByCategory.items.map((x) => x.price));
    nextToken = r.data.productsByCategory.nextToken;
  } while (nextToken);
  assert.deepEqual(toys, [25, 22, 19, 16, 10, 7]);

  const r = await client.graphql({ query: listProducts,
    variables: { filter: { or: [{ category: { eq: 'FOOD' }, price: { lt: 6 } }, { and: [{ title: { beginsWith: 'Product 2' } }, { price: { ge: 28 } }] }] } } });
  assert.deepEqual(r.data.listProducts.items.map((x) => x.sku).sort(), ['P-02', 'P-05', 'P-28', 'P-29']);
});

test('a composite primary key: query by partition key and a sort-key condition', { skip }, async () => {
  for (const [postedAt, stars] of [['2026-01-01T10:00:00.000Z', 5], ['2026-02-01T10:00:00.000Z', 3], ['2026-03-01T10:00:00.000Z', 4]]) {
    const r = await client.graphql({ query: createReview, variables: { input: { productSku: 'P-01', postedAt, stars, text: `★ ${stars}` } } });
    assert.equal(r.data.createReview.postedAt, postedAt);
  }
  const r = await client.graphql({ query: listReviews,
    // a whole AWSDateTime: the column is timestamptz (README: a partial value is refused)
    variables: { productSku: 'P-01', postedAt: { ge: '2026-02-01T00:00:00Z' }, sortDirection: 'DESC' } });
  assert.deepEqual(r.data.listReviews.items.map((x) => [x.postedAt, x.stars, x.text]),
    [['2026-03-01T10:00:00.000Z', 4, '★ 4'], ['2026-02-01T10:00:00.000Z', 3, '★ 3']]);

  const dup = await rejection(client.graphql({ query: createReview,
    variables: { input: { productSku: 'P-01', postedAt: '2026-01-01T10:00:00.000Z', stars: 1 } } }));
  assert.equal(dup.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
});

test('a declared id that is not the key: generated on create when left out, kept when given (as Amplify)', { skip }, async () => {
  const create = /* GraphQL */ `mutation C($input: CreateTicketInput!) { createTicket(input: $input) { code id title } }`;
  const made = await client.graphql({ query: create, variables: { input: { code: 'T-1', title: 'no id' } } });
  assert.match(made.data.createTicket.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const given = await client.graphql({ query: create, variables: { input: { code: 'T-2', id: 'my-own-id', title: 'id' } } });
  assert.equal(given.data.createTicket.id, 'my-own-id');
});

test('invalid documents and variables reject with the GraphQL errors', { skip }, async () => {
  let e = await rejection(client.graphql({ query: 'query { getProduct(sku: "P-01") { nope } }' }));
  assert.equal(e.errors[0].message, 'Cannot query field "nope" on type "Product".');
  e = await rejection(client.graphql({ query: getProduct, variables: {} }));
  assert.equal(e.errors[0].message, 'Variable "$sku" of required type "String!" was not provided.');
  e = await rejection(client.graphql({ query: createProduct, variables: { input: { sku: 'X', title: 'x', category: 'CARS', price: 1 } } }));
  assert.match(e.errors[0].message, /^Variable "\$input" got invalid value "CARS" at "input.category"; Value "CARS" does not exist in "Category" enum\./);
});
