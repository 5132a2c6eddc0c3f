import { useQuery } from '@apollo/client/react';
import { Empty, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { DeskBookingItem } from './DeskBookingItem';
import { DeskBookings } from './operations';

/** Every recent booking of the community's resources, whatever its status. */
export function RecentBookings({ communityId, communityNames }: { communityId: string; communityNames: Map<string, string> }) {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(DeskBookings, { variables: { communityId, first: 30 } });
  const bookings = (data?.communityBookings.edges ?? []).map((e) => e.node);
  return (
    <section aria-label={t('desk.recent')}>
      {error ? <ProblemAlert error={error} /> : null}
      {!data && loading ? <Skeleton active /> : null}
      {data && bookings.length === 0 ? <Empty description={t('desk.noBookings')} /> : null}
      <div className="booking-list">
        {bookings.map((booking) => (
          <DeskBookingItem key={booking.id} booking={booking} communityNames={communityNames} />
        ))}
      </div>
    </section>
  );
}
