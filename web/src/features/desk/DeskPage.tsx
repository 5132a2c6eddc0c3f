import { useQuery } from '@apollo/client/react';
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth';
import { useLocalized } from '../../i18n';
import { PageTitle } from '../../shared/PageTitle';
import { Approvals } from './Approvals';
import { Catalogue } from './Catalogue';
import { DeskCommunities } from './operations';
import { RecentBookings } from './RecentBookings';

/** The owning community's staff: decide on bookings as they arrive, and manage what is offered. */
export default function DeskPage() {
  const { t } = useTranslation();
  const localized = useLocalized();
  const { session } = useAuth();
  const communityId = session?.viewer.homeCommunityId ?? '';
  const communities = useQuery(DeskCommunities);
  const names = new Map((communities.data?.communities ?? []).map((c) => [c.id, localized(c.name, c.nameEn)]));
  const communityName = names.get(communityId) ?? communityId;

  return (
    <>
      <PageTitle title={t('desk.title')}>{t('desk.titleOf', { community: communityName })}</PageTitle>
      <Tabs
        items={[
          {
            key: 'approvals',
            label: t('desk.approvals'),
            children: <Approvals communityId={communityId} communityNames={names} />,
          },
          { key: 'recent', label: t('desk.recent'), children: <RecentBookings communityId={communityId} communityNames={names} /> },
          { key: 'listings', label: t('desk.listings'), children: <Catalogue communityId={communityId} /> },
        ]}
      />
    </>
  );
}
