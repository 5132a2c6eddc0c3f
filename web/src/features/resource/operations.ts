import { graphql } from '../../gql';

export const ListingDetail = graphql(`
  query ListingDetail($id: ID!) {
    listing(id: $id) {
      id
      kind
      title
      titleEn
      summary
      summaryEn
      status
      priceCreditsPerSlot
      fullRefundHoursBefore
      lateCancellationRefundPercent
      communityId
      community {
        id
        name
        nameEn
      }
      resource {
        id
        name
        nameEn
        description
        descriptionEn
        location
        locationEn
        capacity
        policy {
          requiresApproval
          slotMinutes
          minDurationMinutes
          maxDurationMinutes
          leadTimeMinutes
          maxDaysAhead
        }
        weeklyHours {
          weekday
          opensAt
          closesAt
        }
      }
    }
  }
`);

export const ListingWeek = graphql(`
  query ListingWeek($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    listing(id: $id) {
      id
      resource {
        id
        availability(from: $from, to: $to) {
          startsAt
          endsAt
          availableQuantity
        }
      }
    }
  }
`);

export const CreditBalance = graphql(`
  query CreditBalance {
    myAccounts {
      id
      unit
      balance
      pending
      available
    }
  }
`);

export const BookSharedResource = graphql(`
  mutation BookSharedResource($input: BookSharedResourceInput!) {
    bookSharedResource(input: $input) {
      id
      status
      priceCredits
      startsAt
      endsAt
      quantity
      approvalDeadline
    }
  }
`);
