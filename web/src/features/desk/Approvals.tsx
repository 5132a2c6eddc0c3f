import type { ErrorLike } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Empty, Form, Input, Modal, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskBookingFragment } from '../../gql/graphql';
import { useProblem } from '../../graphql/useProblem';
import { useLiveRefresh } from '../../live/useLiveRefresh';
import { FreshnessBadge } from '../../shared/Freshness';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { DeskBookingItem } from './DeskBookingItem';
import { ApproveBooking, DeskBookings, RejectBooking } from './operations';

/** Bookings waiting for this community's decision, arriving live. */
export function Approvals({ communityId, communityNames }: { communityId: string; communityNames: Map<string, string> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useProblem();
  const { data, error, loading, refetch } = useQuery(DeskBookings, { variables: { communityId, status: 'AWAITING_APPROVAL', first: 50 } });
  const freshness = useLiveRefresh({ operation: 'CommunityBookingsUpdated', variables: { communityId }, refetch: () => refetch() });
  const [approve] = useMutation(ApproveBooking);
  const [deciding, setDeciding] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<DeskBookingFragment | null>(null);
  const waiting = (data?.communityBookings.edges ?? []).map((e) => e.node).filter((b) => b.status === 'AWAITING_APPROVAL');

  const onApprove = async (booking: DeskBookingFragment) => {
    setDeciding(booking.id);
    try {
      await approve({ variables: { id: booking.id } });
      void message.success(t('desk.approved'));
    } catch (caught) {
      void message.error(describe(caught as ErrorLike).message);
    } finally {
      setDeciding(null);
      void refetch().catch(() => undefined);
    }
  };

  return (
    <section aria-label={t('desk.approvals')}>
      <div className="section-bar">
        <FreshnessBadge mode={freshness} />
      </div>
      {error ? <ProblemAlert error={error} /> : null}
      {!data && loading ? <Skeleton active /> : null}
      {data && waiting.length === 0 ? <Empty description={t('desk.noneWaiting')} /> : null}
      <div className="booking-list" aria-live="polite">
        {waiting.map((booking) => (
          <DeskBookingItem
            key={booking.id}
            booking={booking}
            communityNames={communityNames}
            actions={
              <>
                <Button type="primary" loading={deciding === booking.id} onClick={() => void onApprove(booking)}>
                  {t('desk.approve')}
                </Button>
                <Button danger disabled={deciding === booking.id} onClick={() => setRejecting(booking)}>
                  {t('desk.reject')}
                </Button>
              </>
            }
          />
        ))}
      </div>
      {rejecting ? (
        <RejectDialog
          booking={rejecting}
          onClose={() => {
            setRejecting(null);
            void refetch().catch(() => undefined);
          }}
        />
      ) : null}
    </section>
  );
}

function RejectDialog({ booking, onClose }: { booking: DeskBookingFragment; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [reject, { loading }] = useMutation(RejectBooking);
  const [error, setError] = useState<ErrorLike | null>(null);

  const submit = async ({ reason }: { reason: string }) => {
    setError(null);
    try {
      await reject({ variables: { id: booking.id, reason: reason.trim() } });
      void message.success(t('desk.rejectedDone'));
      onClose();
    } catch (caught) {
      setError(caught as ErrorLike);
    }
  };

  return (
    <Modal open title={t('desk.rejectTitle')} okText={t('desk.reject')} okButtonProps={{ danger: true, loading, htmlType: 'submit' }} onOk={() => form.submit()} onCancel={onClose}>
      <Form form={form} name="reject" layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="reason" label={t('desk.reason')} rules={[{ required: true, whitespace: true, message: t('desk.reasonRequired') }]} extra={t('desk.reasonHint')}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
      {error ? <ProblemAlert error={error} /> : null}
    </Modal>
  );
}
