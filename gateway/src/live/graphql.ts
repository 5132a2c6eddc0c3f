/**
 * graphql, the instance Apollo Gateway and graphql-ws use. Node resolves `graphql` to its
 * CommonJS build for every package; under vitest, sources importing `graphql` get the ES
 * build instead, and graphql refuses to mix objects of the two ("from another module or
 * realm"): the live modules hand schemas and errors back and forth with Apollo and
 * graphql-ws, so they import the CommonJS entry by its path, the same file in both.
 */
export * from 'graphql/index.js';
