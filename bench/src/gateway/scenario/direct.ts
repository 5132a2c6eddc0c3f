import { buildSchema, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import {
  PRODUCTS,
  USERS,
  productByUpc,
  reviewsByAuthor,
  reviewsByProduct,
  shippingEstimateCents,
  stockByUpc,
  userById,
  type ProductRecord,
  type ReviewRecord,
  type UserRecord,
} from './data.js';

/**
 * The same graph served by one process with no federation: what a client would get with
 * no gateway at all. It is the upper bound of the comparison and the reference answer the
 * gateways' answers are checked against.
 */
const SDL = /* GraphQL */ `
  type Query { users: [User!]! user(id: ID!): User topProducts(first: Int = 5): [Product!]! }
  type User { id: ID! name: String username: String birthYear: Int reviews: [Review!]! }
  type Product { upc: String! name: String price: Int weight: Int inStock: Boolean shippingEstimate: Int reviews: [Review!]! }
  type Review { id: ID! body: String author: User product: Product }
`;

type Resolvers = Record<string, Record<string, GraphQLFieldResolver<never, unknown, never>>>;

const RESOLVERS: Resolvers = {
  Query: {
    users: () => USERS,
    user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
    topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
  },
  User: { reviews: (u: UserRecord) => reviewsByAuthor.get(u.id) ?? [] },
  Product: {
    price: (p: ProductRecord) => p.priceCents,
    weight: (p: ProductRecord) => p.weightGrams,
    inStock: (p: ProductRecord) => stockByUpc.get(p.upc)?.inStock ?? false,
    shippingEstimate: (p: ProductRecord) => shippingEstimateCents(p),
    reviews: (p: ProductRecord) => reviewsByProduct.get(p.upc) ?? [],
  },
  Review: {
    author: (r: ReviewRecord) => userById.get(r.authorId) ?? null,
    product: (r: ReviewRecord) => productByUpc.get(r.productUpc) ?? null,
  },
};

export function directSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  for (const [typeName, fields] of Object.entries(RESOLVERS)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName]!.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}
