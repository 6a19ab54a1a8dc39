// cases.mjs: the documents of the generated rule tests, per graphql-js rule name: `valid*` groups must give
// no error, `invalid*` groups at least one; {doc, hide: true} validates with hidden suggestions.
export default {
  ExecutableDefinitions: {
    valid: ['{ dog { name } }', 'query Q { dog { ...F } } fragment F on Dog { name }'],
    invalid: [
      '{ dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }',
      '{ dog { name } }\nschema { query: Query }\nextend schema @cached',
      'scalar S\ninput I { a: Int }\nenum E { A }\nunion U = Dog\ninterface X { a: Int }\ndirective @d on FIELD',
    ],
  },
  UniqueOperationNames: {
    valid: ['{ dog { name } }', 'query A { dog { name } } query B { cat { name } }', 'query A { dog { name } } fragment A on Dog { name }', '{ dog { name } } { cat { name } }'],
    invalid: [
      'query A { dog { name } }\nquery A { cat { name } }',
      'query A { dog { name } }\nmutation A { setName(name: "x") { name } }\nsubscription A { newDog { name } }',
    ],
  },
  LoneAnonymousOperation: {
    valid: ['{ dog { name } }', 'query A { dog { name } } query B { dog { name } }', '{ dog { ...F } } fragment F on Dog { name }'],
    invalid: ['{ dog { name } }\n{ cat { name } }', '{ dog { name } }\nmutation M { setName(name: "x") { name } }', 'query { dog { name } }\nsubscription S { newDog { name } }'],
  },
  SingleFieldSubscriptions: {
    valid: [
      'subscription S { newDog { name } }',
      'subscription S { newDog { name } newDog { id } }',
      'subscription S { ...F } fragment F on Subscription { newDog { name } }',
      'subscription S { newDog { name } newCat @skip(if: true) { name } }',
      'subscription S { newDog { name } newCat @include(if: false) { name } }',
      'subscription S { newDog { name } ... on Query { dog { name } } }',
      'subscription S { newDog { name } ...F } fragment F on Query { dog { name } }',
      'subscription S { newDog { name } ...Missing }',
      'query Q { dog { name } cat { name } }',
    ],
    invalid: [
      'subscription S { newDog { name } newCat { name } }',
      'subscription { newDog { name } newCat { name } }',
      'subscription S { newDog { name } ...F } fragment F on Subscription { newCat { name } x: newDog { id } }',
      'subscription S { ... { newDog { name } } ... on Subscription { newCat { name } } }',
      'subscription S { __typename }',
      'subscription { newDog { name } __typename t: __typename }',
      'subscription S { newDog { name } ...F ...F } fragment F on Subscription { newCat { name } }',
      'subscription S { newDog { name } newCat @skip(if: false) { name } other: newDog @include(if: true) { id } }',
    ],
  },
  KnownTypeNames: {
    valid: [
      'query Q($a: ID, $b: [Filter!]!, $c: Size) { dog { ... on Pet { name } ...F } } fragment F on Dog { name }',
      '{ dog { ... { name } } }',
    ],
    invalid: [
      'query Q($a: Id, $b: [Filtr!]!, $c: Sise = SMALL) { dog { name } }',
      '{ dog { ... on Pett { name } ...F } } fragment F on Dgo { name }',
      'query Q($a: JSON) { dog { ... on Doggy { name } } }',
      { doc: 'query Q($a: Id) { dog { ... on Pett { name } } }', hide: true },
      'type T implements Nod { a: Intt b(x: Filtr = {}): [Sizee] } union U = Dog | Catt input I { a: Strin } schema { query: Qery } extend type Dog implements Pett { c: Date }',
      'type T { a: __Type b: String c: Bool }',
      'query Q($a: __Typ) { dog { name } } type Cow { name: String }',
    ],
  },
  FragmentsOnCompositeTypes: {
    valid: [
      '{ dog { ... on Pet { name } ... on Dog { barks } ... { name } } catOrDog { ... on CatOrDog { __typename } } }',
      'fragment F on Dog { name } fragment G on Pet { name } fragment H on CatOrDog { __typename } fragment U on Unknown { a }',
    ],
    invalid: [
      '{ dog { ... on Boolean { x } } }',
      'fragment F on Size { name }\nfragment G on Filter { name }\nfragment H on String { x }',
      '{ dog { ... on Date { x } } }',
    ],
  },
  VariablesAreInputTypes: {
    valid: ['query Q($a: String, $b: [Filter!]!, $c: Size = SMALL, $d: Date, $e: Unknown) { dog { name } }'],
    invalid: [
      'query Q($a: Dog, $b: [[Pet!]]!, $c: CatOrDog) { dog { name } }',
      'query Q($a: Node!) { dog { name } }',
    ],
  },
  ScalarLeafs: {
    valid: ['{ dog { name size owner { name } } today size }', '{ unknown { a } dog { unknown } }'],
    invalid: [
      '{ dog }',
      '{ human(id: "1") { relatives } pets }',
      '{ dog { name { x } size { y } } }',
      '{ today { a } }',
      'query Q { dog { barks @cached { x } } }',
    ],
  },
  FieldsOnCorrectType: {
    valid: [
      '{ dog { name barks __typename } pet { name ... on Dog { barks } } catOrDog { __typename ... on Cat { meows } } __schema { queryType { name } } __type(name: "Dog") { name } }',
      '{ dog { ... on Unknown { whatever } } }',
    ],
    invalid: [
      '{ dog { nam meow } }',
      '{ pet { barks meows } }',
      '{ catOrDog { name } }',
      '{ humanOrAlien { name planet } }',
      '{ node { name } }',
      '{ dog { zzzzz } }',
      '{ dog { __schema { queryType { name } } } }',
      'fragment F on Pet { nicknam alias: barks }',
      { doc: '{ dog { nam } pet { barks } }', hide: true },
      'mutation { setName(name: "x") { nmae } unknown }',
    ],
  },
  UniqueFragmentNames: {
    valid: ['{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { name }', 'query A { dog { ...A } } fragment A on Dog { name }'],
    invalid: [
      '{ dog { ...A } }\nfragment A on Dog { name }\nfragment A on Dog { barks }',
      'fragment A on Dog { name }\nfragment A on Dog { barks }\nfragment A on Pet { name }',
    ],
  },
  KnownFragmentNames: {
    valid: ['{ dog { ...A ... on Dog { ...B } } } fragment A on Dog { name } fragment B on Dog { ...A }'],
    invalid: [
      '{ dog { ...Missing ... on Dog { ... Other @cached } } }',
      'fragment A on Dog { ...A ...B }',
    ],
  },
  NoUnusedFragments: {
    valid: [
      '{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }',
      'query Q { dog { ...A } } query R { cat { ...B } } fragment A on Dog { name } fragment B on Cat { name }',
    ],
    invalid: [
      '{ dog { ...A } }\nfragment A on Dog { name }\nfragment B on Dog { ...C }\nfragment C on Dog { name }',
      'fragment A on Dog { name }',
      '{ dog { ...A } }\nfragment A on Dog { ...A }\nfragment B on Dog { ...B }',
    ],
  },
  PossibleFragmentSpreads: {
    valid: [
      '{ dog { ... on Pet { name } ... on Dog { name } ... on CatOrDog { __typename } ...P ... { name } } pet { ... on Dog { barks } ... on Node { id } } node { ... on Pet { name } } catOrDog { ... on Pet { name } } } fragment P on Pet { name }',
      '{ dog { ... on Unknown { a } ...Missing ... on Size { a } } }',
    ],
    invalid: [
      '{ dog { ... on Cat { meows } } }',
      '{ dog { ...C } cat { ...D } } fragment C on Cat { name } fragment D on Dog { name }',
      '{ catOrDog { ... on Human { name } ...H } } fragment H on HumanOrAlien { __typename }',
      '{ pet { ... on Alien { name } } humanOrAlien { ... on Pet { name } } }',
    ],
  },
  NoFragmentCycles: {
    valid: [
      '{ dog { ...A } } fragment A on Dog { ...B ...B } fragment B on Dog { name }',
      'fragment A on Dog { ...Missing }',
    ],
    invalid: [
      'fragment A on Dog { ...A }',
      'fragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { ...A }',
      'fragment A on Dog { owner { pets { ... on Dog { ...B } } } }\nfragment B on Dog { ...A ...C }\nfragment C on Dog { ...B ...A }',
      'fragment A on Dog { ...B ...C }\nfragment B on Dog { ...A }\nfragment C on Dog { ...A ...C }',
      'fragment A on Dog { ...B }\nfragment B on Dog { ...B }',
    ],
  },
  UniqueVariableNames: {
    valid: ['query A($a: Int, $b: Int) { dog { name } } query B($a: Int) { dog { name } }'],
    invalid: [
      'query A($a: Int, $b: Int, $a: String, $b: Int, $a: ID) { dog { name } }',
      'query A(\n  $ x: Int,\n  $x: Int\n) { dog { name } }',
    ],
  },
  KnownDirectives: {
    valid: [
      'query Q($v: Int @onVariable) @cached @unique { dog @cached(ttl: 1) @skip(if: true) { ...F @onFragment ... @onFragment @include(if: true) { name } } } fragment F on Dog @onFragment { name }',
      'subscription S @unique { newDog { name } } mutation M @unique { setName(name: "x") { name } }',
    ],
    invalid: [
      '{ dog @unknown @cachd { name } }',
      'query Q($v: Int @cached) @onFragment { dog @onVariable { ...F @cached ... @onVariable { name } } } fragment F on Dog @skip(if: true) { name }',
      'mutation M @cached { setName(name: "x") { name } } subscription S @skip(if: true) { newDog { name } }',
      'query Q @deprecated { dog @specifiedBy(url: "x") { name } }',
      'type T @cached @unknown { a: Int @skip(if: true) }',
      'directive @mine on QUERY\n{ dog @mine { name } }',
    ],
  },
  UniqueDirectivesPerLocation: {
    valid: [
      'query Q @unique @cached @cached { dog @unique @cached @cached { name @unique } cat @unique { name } }',
      '{ dog @unknown @unknown { name } }',
    ],
    invalid: [
      'query Q($v: Int @unique @unique) @unique @unique { dog @unique @unique @unique { ...F @unique @unique ... @unique @unique { name } } } fragment F on Dog @unique @unique { name }',
      '{ dog @skip(if: true) @skip(if: false) @include(if: true) @include(if: true) { name } }',
      'type T @unique @unique { a: Int } extend type T @unique',
      'directive @mine on FIELD\n{ dog @mine @mine { name } }',
    ],
  },
};
