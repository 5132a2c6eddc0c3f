import { useQuery } from '@apollo/client/react';
import { Button, Empty, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useLiveRefresh } from '../../live/useLiveRefresh';
import { FreshnessBadge } from '../../shared/Freshness';
import { PageTitle } from '../../shared/PageTitle';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { BookingCard } from './BookingCard';
import { MyBookings } from './operations';

const PAGE_SIZE = 20;

export default function MyBookingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data, error, loading, refetch, fetchMore } = useQuery(MyBookings, { variables: { first: PAGE_SIZE } });
  const freshness = useLiveRefresh({ operation: 'MyBookingsUpdated', refetch: () => refetch() });
  const [loadingMore, setLoadingMore] = useState(false);
  const connection = data?.myBookings;

  const loadMore = () => {
    if (!connection?.pageInfo.hasNextPage) return;
    setLoadingMore(true);
    void fetchMore({ variables: { after: connection.pageInfo.endCursor } })
      .catch(() => undefined)
      .finally(() => setLoadingMore(false));
  };

  return (
    <>
      <PageTitle title={t('bookings.title')} extra={<FreshnessBadge mode={freshness} />}>
        {t('bookings.title')}
      </PageTitle>
      {error ? <ProblemAlert error={error} /> : null}
      {!connection && loading ? <Skeleton active /> : null}
      {connection && connection.edges.length === 0 ? (
        <Empty description={t('bookings.none')}>
          <Button type="primary" onClick={() => void navigate('/')}>
            {t('nav.discover')}
          </Button>
        </Empty>
      ) : null}
      <div className="booking-list" aria-live="polite">
        {connection?.edges.map(({ node }) => <BookingCard key={node.id} booking={node} />)}
      </div>
      {connection?.pageInfo.hasNextPage ? (
        <div className="load-more">
          <Button onClick={loadMore} loading={loadingMore}>
            {t('common.loadMore')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
