import { Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ListingSummaryFragment } from '../../gql/graphql';
import { formatDateTime, useLanguage, useLocalized } from '../../i18n';

/** One listing: whose it is, what it costs, and when it is next free. */
export function ListingCard({ listing }: { listing: ListingSummaryFragment }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const localized = useLocalized();
  const title = localized(listing.title, listing.titleEn);
  const resource = listing.resource;
  const next = resource?.availability.find((slot) => slot.availableQuantity > 0);

  return (
    <Card
      size="small"
      className="listing-card"
      data-listing-id={listing.id}
      title={
        <h2 className="card-heading">
          <Link to={`/listings/${listing.id}`}>{title}</Link>
        </h2>
      }
    >
      <Space wrap size={[4, 4]}>
        <Tag color="blue">{listing.community ? localized(listing.community.name, listing.community.nameEn) : listing.communityId}</Tag>
        <Tag>{t(`kinds.${listing.kind}`)}</Tag>
        {resource?.policy.requiresApproval ? <Tag color="orange">{t('listing.needsApproval')}</Tag> : null}
      </Space>
      <Typography.Paragraph className="listing-summary" ellipsis={{ rows: 2 }}>
        {localized(listing.summary, listing.summaryEn)}
      </Typography.Paragraph>
      <dl className="facts">
        <div>
          <dt>{t('listing.price')}</dt>
          <dd>
            {listing.priceCreditsPerSlot === 0
              ? t('listing.free')
              : t('listing.pricePerSlot', { credits: listing.priceCreditsPerSlot, minutes: resource?.policy.slotMinutes ?? 60 })}
          </dd>
        </div>
        <div>
          <dt>{t('listing.nextFree')}</dt>
          <dd>{!resource ? t('listing.communityUnavailable') : next ? formatDateTime(next.startsAt, language) : t('listing.noFreeSlot')}</dd>
        </div>
      </dl>
    </Card>
  );
}
