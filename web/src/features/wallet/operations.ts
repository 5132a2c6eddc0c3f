import { graphql } from '../../gql';

export const Wallet = graphql(`
  query Wallet($first: Int) {
    myAccounts {
      id
      unit
      balance
      pending
      available
      limit
      transfers(first: $first) {
        edges {
          node {
            id
            amount
            unit
            code
            phase
            state
            memo
            createdAt
            debitAccountId
            creditAccountId
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
