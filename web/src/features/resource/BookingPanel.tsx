import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Descriptions, Form, InputNumber, Result, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { isResident, useAuth } from '../../auth';
import type { BookSharedResourceMutation } from '../../gql/graphql';
import { useProblem } from '../../graphql/useProblem';
import { formatDateTime, formatRange, useLanguage } from '../../i18n';
import { newIdempotencyKey } from '../../shared/ids';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { StatusTag } from '../../shared/StatusTag';
import { BookSharedResource, CreditBalance } from './operations';
import { placesFree, priceOf, run, slotCountChoices, type Selection, type Slot } from './week';

export interface BookingPanelProps {
  listingId: string;
  pricePerSlot: number;
  policy: { slotMinutes: number; minDurationMinutes: number; maxDurationMinutes: number; requiresApproval: boolean };
  communityName: string;
  slots: readonly Slot[];
  selection: Selection | null;
  onSelectionChange(selection: Selection | null): void;
  /** After a booking or a refusal that means the calendar is out of date. */
  onCalendarStale(): void;
}

type Booked = BookSharedResourceMutation['bookSharedResource'];

/** Slot, length and places; the price and the person's credit; then one confirm. */
export function BookingPanel(props: BookingPanelProps) {
  const { listingId, pricePerSlot, policy, communityName, slots, selection, onSelectionChange, onCalendarStale } = props;
  const { t } = useTranslation();
  const [language] = useLanguage();
  const navigate = useNavigate();
  const location = useLocation();
  const { session } = useAuth();
  const describe = useProblem();
  const balance = useQuery(CreditBalance, { skip: !session });
  const [book, { loading }] = useMutation(BookSharedResource);
  const [error, setError] = useState<ErrorLike | null>(null);
  const [booked, setBooked] = useState<Booked | null>(null);
  const [answered, setAnswered] = useState(0);
  // One key per distinct request, so a double click or a retry after a lost answer books once.
  // Once the gateway has answered (even with a refusal), the next try is a new request: the
  // exchange replays a key's first answer, refusal included.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [listingId, selection?.startsAt, selection?.slotCount, selection?.quantity, answered]);

  if (booked) return <BookedResult booking={booked} communityName={communityName} onAgain={() => setBooked(null)} />;

  if (!session) {
    return (
      <Alert
        type="info"
        showIcon
        title={t('booking.signInFirst')}
        action={
          <Button type="primary" onClick={() => void navigate(`/sign-in?next=${encodeURIComponent(location.pathname)}`)}>
            {t('auth.signIn')}
          </Button>
        }
      />
    );
  }
  if (!isResident(session.viewer)) return <Alert type="info" showIcon title={t('booking.residentsOnly')} />;
  if (!selection) return <Alert type="info" showIcon title={t('booking.pickSlot')} />;

  const counts = slotCountChoices(slots, selection.startsAt, policy);
  const free = placesFree(slots, selection.startsAt, selection.slotCount);
  const picked = run(slots, selection.startsAt, selection.slotCount);
  const price = priceOf(pricePerSlot, selection);
  const credit = balance.data?.myAccounts.find((a) => a.unit === 'CREDIT');
  const available = credit?.available ?? 0;
  const short = balance.data !== undefined && price > available;

  const confirm = async () => {
    if (!picked) return;
    setError(null);
    try {
      const result = await book({
        variables: {
          input: {
            listingId,
            startsAt: picked[0]?.startsAt ?? selection.startsAt,
            endsAt: picked[picked.length - 1]?.endsAt ?? selection.startsAt,
            quantity: selection.quantity,
            idempotencyKey,
          },
        },
      });
      if (result.data) {
        setBooked(result.data.bookSharedResource);
        onSelectionChange(null);
      }
      void balance.refetch();
      onCalendarStale();
    } catch (caught) {
      const failure = caught as ErrorLike;
      setError(failure);
      if (CombinedGraphQLErrors.is(failure)) setAnswered((n) => n + 1);
      const code = describe(failure).code;
      if (code === 'INSUFFICIENT_FUNDS') void balance.refetch();
      if (code === 'CONFLICT') onCalendarStale();
    }
  };

  return (
    <section className="booking-panel" aria-labelledby="booking-heading">
      <h2 id="booking-heading" className="section-heading">
        {t('booking.title')}
      </h2>
      <Form layout="vertical" onFinish={() => void confirm()}>
        <Form.Item label={t('booking.start')}>
          <Typography.Text strong>{picked ? formatRange(picked[0]?.startsAt ?? '', picked[picked.length - 1]?.endsAt ?? '', language) : '—'}</Typography.Text>
        </Form.Item>
        <Space wrap size="large" align="start">
          <Form.Item label={t('booking.duration')} htmlFor="booking-duration">
            <Select
              id="booking-duration"
              style={{ minWidth: 140 }}
              value={selection.slotCount}
              onChange={(slotCount) => onSelectionChange({ ...selection, slotCount, quantity: Math.min(selection.quantity, placesFree(slots, selection.startsAt, slotCount)) })}
              options={counts.map((count) => ({ value: count, label: t('booking.minutes', { minutes: count * policy.slotMinutes }) }))}
            />
          </Form.Item>
          <Form.Item label={t('booking.quantity')} htmlFor="booking-quantity" extra={t('booking.placesFree', { count: free })}>
            <InputNumber
              id="booking-quantity"
              min={1}
              max={Math.max(1, free)}
              precision={0}
              value={selection.quantity}
              onChange={(quantity) => onSelectionChange({ ...selection, quantity: quantity ?? 1 })}
            />
          </Form.Item>
        </Space>
        <Descriptions size="small" column={1} bordered className="booking-summary">
          <Descriptions.Item label={t('booking.price')}>
            <span data-testid="booking-price">{t('common.credits', { count: price })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('booking.balance')}>
            <span data-testid="booking-balance">{balance.data ? t('common.credits', { count: available }) : '…'}</span>
            {credit && credit.pending > 0 ? <Typography.Text type="secondary"> {t('booking.pendingNote', { count: credit.pending })}</Typography.Text> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('booking.after')}>{balance.data ? t('common.credits', { count: available - price }) : '…'}</Descriptions.Item>
          {policy.requiresApproval ? <Descriptions.Item label={t('booking.approval')}>{t('booking.approvalNote', { community: communityName })}</Descriptions.Item> : null}
        </Descriptions>
        {short ? <Alert className="booking-alert" type="warning" showIcon title={t('booking.short', { available, required: price })} /> : null}
        {error ? (
          <div className="booking-alert">
            <ProblemAlert error={error} title={t('booking.failed')} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" size="large" block loading={loading} disabled={!picked || free < selection.quantity || short}>
          {t('booking.confirm', { count: price })}
        </Button>
      </Form>
    </section>
  );
}

function BookedResult({ booking, communityName, onAgain }: { booking: Booked; communityName: string; onAgain(): void }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const navigate = useNavigate();
  const waiting = booking.status === 'AWAITING_APPROVAL';
  return (
    <Result
      status={waiting ? 'info' : 'success'}
      title={
        <span role="status" data-booking-id={booking.id}>
          {waiting ? t('booking.waiting', { community: communityName }) : t('booking.done')}
        </span>
      }
      subTitle={
        <Space direction="vertical" size={4}>
          <span>
            {formatRange(booking.startsAt, booking.endsAt, language)} · {t('booking.places', { count: booking.quantity })} · {t('common.credits', { count: booking.priceCredits })}
          </span>
          <StatusTag status={booking.status} />
          {waiting && booking.approvalDeadline ? <span>{t('booking.deadline', { when: formatDateTime(booking.approvalDeadline, language) })}</span> : null}
        </Space>
      }
      extra={[
        <Button key="mine" type="primary" onClick={() => void navigate('/bookings')}>
          {t('booking.seeMine')}
        </Button>,
        <Button key="again" onClick={onAgain}>
          {t('booking.again')}
        </Button>,
      ]}
    />
  );
}
