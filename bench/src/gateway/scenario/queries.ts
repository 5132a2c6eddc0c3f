/**
 * The heavy query crosses every subgraph seven levels deep (users → reviews → product →
 * reviews → author → reviews → product), as the public federation benchmark's does; the
 * light one touches two subgraphs once.
 */
export const HEAVY_QUERY = /* GraphQL */ `
  fragment UserFields on User { id name username }
  fragment ReviewFields on Review { id body }
  fragment ProductFields on Product { upc name price weight inStock shippingEstimate }
  query Heavy {
    users {
      ...UserFields
      reviews {
        ...ReviewFields
        product {
          ...ProductFields
          reviews {
            ...ReviewFields
            author { ...UserFields reviews { ...ReviewFields product { ...ProductFields } } }
          }
        }
      }
    }
    topProducts {
      ...ProductFields
      reviews { ...ReviewFields author { ...UserFields reviews { ...ReviewFields product { ...ProductFields } } } }
    }
  }
`;

export const LIGHT_QUERY = /* GraphQL */ `
  query Light { topProducts(first: 3) { upc name price inStock } }
`;

export const QUERIES = { heavy: HEAVY_QUERY, light: LIGHT_QUERY } as const;
export type QueryName = keyof typeof QUERIES;
