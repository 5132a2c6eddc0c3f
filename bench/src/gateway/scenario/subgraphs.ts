import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import {
  PRODUCTS,
  USERS,
  productByUpc,
  reviewsByAuthor,
  reviewsByProduct,
  shippingEstimateCents,
  stockByUpc,
  userById,
  type ReviewRecord,
} from './data.js';

/** The four subgraphs of the scenario, in the order they are started. */
export const SUBGRAPH_NAMES = ['accounts', 'products', 'inventory', 'reviews'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])`;

const SDL: Record<SubgraphName, string> = {
  accounts: `${LINK}
    type Query { users: [User!]! user(id: ID!): User }
    type User @key(fields: "id") { id: ID! name: String username: String birthYear: Int }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product!]! }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      price: Int @external
      weight: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID! body: String author: User product: Product }
    type User @key(fields: "id") { id: ID! reviews: [Review!]! }
    type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }`,
};

type Ref<K extends string> = Record<K, string>;

const reviewResolvers = {
  author: (review: ReviewRecord) => ({ __typename: 'User', id: review.authorId }),
  product: (review: ReviewRecord) => ({ __typename: 'Product', upc: review.productUpc }),
};

const RESOLVERS = {
  accounts: {
    Query: { users: () => USERS, user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null },
    User: { __resolveReference: (ref: Ref<'id'>) => userById.get(ref.id) ?? null },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first) },
    Product: {
      __resolveReference: (ref: Ref<'upc'>) => productByUpc.get(ref.upc) ?? null,
      price: (p: { priceCents: number }) => p.priceCents,
      weight: (p: { weightGrams: number }) => p.weightGrams,
    },
  },
  inventory: {
    Product: {
      // price and weight arrive in the representation, as @requires asks.
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref }),
      inStock: (p: { upc: string }) => stockByUpc.get(p.upc)?.inStock ?? false,
      shippingEstimate: (p: { price?: number; weight?: number }) =>
        p.price === undefined || p.weight === undefined ? null : shippingEstimateCents({ priceCents: p.price, weightGrams: p.weight }),
    },
  },
  reviews: {
    Review: reviewResolvers,
    User: {
      __resolveReference: (ref: Ref<'id'>) => ({ id: ref.id }),
      reviews: (user: { id: string }) => reviewsByAuthor.get(user.id) ?? [],
    },
    Product: {
      __resolveReference: (ref: Ref<'upc'>) => ({ upc: ref.upc }),
      reviews: (product: { upc: string }) => reviewsByProduct.get(product.upc) ?? [],
    },
  },
} satisfies Record<SubgraphName, object>;

export function subgraphSdl(name: SubgraphName): string {
  return SDL[name];
}

export function subgraphSchema(name: SubgraphName): GraphQLSchema {
  // The resolver map is typed loosely by @apollo/subgraph; ours are checked above by `satisfies`.
  return buildSubgraphSchema({ typeDefs: parse(SDL[name]), resolvers: RESOLVERS[name] as never });
}
