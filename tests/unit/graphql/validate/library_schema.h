/* library_schema.h: the schema of the hand-written validation rule tests (our own: a small library of books,
 * authors and magazines with an interface, a union, enums, input objects, a @oneOf input, a custom
 * scalar and a directive). Expectations in the tests come from graphql-js 16.15 run on this SDL. */
#ifndef GG_TEST_LIBRARY_SCHEMA_H
#define GG_TEST_LIBRARY_SCHEMA_H

static const char SCHEMA[] =
    "interface Node { id: ID! }\n"
    "interface Named { name: String }\n"
    "type Book implements Node & Named { id: ID! name: String title(upper: Boolean = false): String pages: Int tags: "
    "[String!] author: Author related(first: Int!, after: String): [Book] price(currency: Currency!): Float }\n"
    "type Author implements Node & Named { id: ID! name: String books(genre: Genre, limit: Int = 10): [Book!]! age: "
    "Int }\n"
    "type Magazine implements Node { id: ID! issue: Int name: Int tags: [String] author: Author }\n"
    "union Item = Book | Magazine\n"
    "enum Genre { FICTION HISTORY POETRY SCIENCE }\n"
    "enum Currency { EUR USD GBP }\n"
    "input BookFilter { title: String genre: Genre! minPages: Int = 0 authors: [String!] nested: BookFilter }\n"
    "input Lookup @oneOf { id: ID isbn: String }\n"
    "scalar Isbn\n"
    "type Query { book(id: ID!): Book books(filter: BookFilter, genres: [Genre!], ids: [ID!]): [Book] find(by: "
    "Lookup!): Book item(id: ID!): Item node(id: ID!): Node search(text: String, limit: Int = 5, exact: Boolean!): "
    "[Item] count(min: Int, max: Float, isbn: Isbn): Int echo(value: String!, times: Int! = 1): String named: Named }\n"
    "type Mutation { addBook(title: String!, genre: Genre = FICTION): Book }\n"
    "directive @tag(label: String!, weight: Int) on FIELD | QUERY | FRAGMENT_SPREAD\n";

#endif
