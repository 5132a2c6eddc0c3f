import { graphql } from '../../gql';

export const MyBookings = graphql(`
  query MyBookings($first: Int, $after: String) {
    myBookings(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...MyBooking
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }

  fragment MyBooking on Booking {
    id
    status
    startsAt
    endsAt
    quantity
    priceCredits
    refundedCredits
    requiresApproval
    approvalDeadline
    decidedAt
    rejectionReason
    cancelledAt
    confirmedAt
    createdAt
    communityId
    listing {
      id
      title
      titleEn
      fullRefundHoursBefore
      lateCancellationRefundPercent
    }
    community {
      id
      name
      nameEn
    }
    resource {
      id
      location
      locationEn
    }
    failure {
      code
      message
    }
  }
`);

export const CancelMyBooking = graphql(`
  mutation CancelMyBooking($id: ID!, $idempotencyKey: String!) {
    cancelBooking(id: $id, idempotencyKey: $idempotencyKey) {
      ...MyBooking
    }
  }
`);
