import { graphql } from '../../gql';

export const DeskBookings = graphql(`
  query DeskBookings($communityId: ID!, $status: BookingStatus, $first: Int) {
    communityBookings(communityId: $communityId, status: $status, first: $first) {
      edges {
        node {
          ...DeskBooking
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }

  fragment DeskBooking on Booking {
    id
    status
    startsAt
    endsAt
    quantity
    priceCredits
    residentId
    residentCommunityId
    approvalDeadline
    rejectionReason
    createdAt
    listing {
      id
      title
      titleEn
    }
  }
`);

export const DeskCommunities = graphql(`
  query DeskCommunities {
    communities {
      id
      name
      nameEn
    }
  }
`);

export const ApproveBooking = graphql(`
  mutation ApproveBooking($id: ID!) {
    approveBooking(id: $id) {
      ...DeskBooking
    }
  }
`);

export const RejectBooking = graphql(`
  mutation RejectBooking($id: ID!, $reason: String!) {
    rejectBooking(id: $id, reason: $reason) {
      ...DeskBooking
    }
  }
`);

export const DeskCatalogue = graphql(`
  query DeskCatalogue($communityId: ID!) {
    resources(communityId: $communityId, first: 100) {
      edges {
        node {
          id
          name
          nameEn
          description
          descriptionEn
          kind
          status
          capacity
          policy {
            priceCreditsPerSlot
            requiresApproval
            slotMinutes
          }
        }
      }
    }
    listings(filter: { communityId: $communityId }, first: 100) {
      edges {
        node {
          ...DeskListing
        }
      }
    }
  }

  fragment DeskListing on Listing {
    id
    resourceId
    title
    titleEn
    status
    priceCreditsPerSlot
    publishedAt
    withdrawnAt
  }
`);

export const PublishListing = graphql(`
  mutation PublishListing($input: PublishListingInput!) {
    publishListing(input: $input) {
      ...DeskListing
    }
  }
`);

export const WithdrawListing = graphql(`
  mutation WithdrawListing($id: ID!) {
    withdrawListing(id: $id) {
      ...DeskListing
    }
  }
`);
