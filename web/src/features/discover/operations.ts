import { graphql } from '../../gql';

export const DiscoverListings = graphql(`
  query DiscoverListings($filter: ListingFilter, $first: Int, $after: String, $from: DateTimeISO!, $to: DateTimeISO!) {
    listings(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...ListingSummary
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }

  fragment ListingSummary on Listing {
    id
    kind
    title
    titleEn
    summary
    summaryEn
    priceCreditsPerSlot
    communityId
    community {
      id
      name
      nameEn
    }
    resource {
      id
      capacity
      policy {
        requiresApproval
        slotMinutes
      }
      availability(from: $from, to: $to) {
        startsAt
        endsAt
        availableQuantity
      }
    }
  }
`);

export const DiscoverCommunities = graphql(`
  query DiscoverCommunities {
    communities(status: ACTIVE) {
      id
      name
      nameEn
    }
  }
`);
