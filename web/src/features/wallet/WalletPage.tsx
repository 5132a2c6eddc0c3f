import { useQuery } from '@apollo/client/react';
import { Card, Col, Empty, List, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LedgerUnit, WalletQuery } from '../../gql/graphql';
import { localizeServerMessage } from '../../graphql/errors';
import { formatDateTime, useLanguage } from '../../i18n';
import { PageTitle } from '../../shared/PageTitle';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { Wallet } from './operations';

type Account = WalletQuery['myAccounts'][number];
type Transfer = Account['transfers']['edges'][number]['node'];

const UNITS: LedgerUnit[] = ['CREDIT', 'HOUR'];
const HISTORY_SIZE = 30;

/** Shared credit and time-bank hours: what is there, what is held for bookings, what happened. */
export default function WalletPage() {
  const { t } = useTranslation();
  const { data, error, loading } = useQuery(Wallet, { variables: { first: HISTORY_SIZE } });
  const accounts = data?.myAccounts ?? [];

  return (
    <>
      <PageTitle title={t('wallet.title')}>{t('wallet.title')}</PageTitle>
      {error ? <ProblemAlert error={error} /> : null}
      {!data && loading ? <Skeleton active /> : null}
      {data ? (
        <Row gutter={[16, 16]}>
          {UNITS.map((unit) => {
            const account = accounts.find((a) => a.unit === unit);
            return (
              <Col xs={24} md={12} key={unit}>
                <AccountCard unit={unit} account={account} />
              </Col>
            );
          })}
        </Row>
      ) : null}
    </>
  );
}

function AccountCard({ unit, account }: { unit: LedgerUnit; account: Account | undefined }) {
  const { t } = useTranslation();
  const name = t(`wallet.units.${unit}`);
  return (
    <Card title={<h2 className="card-heading">{name}</h2>} data-unit={unit}>
      {!account ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wallet.noAccount')} />
      ) : (
        <>
          <Row gutter={8}>
            <Col span={8}>
              <Statistic title={t('wallet.available')} value={account.available} />
            </Col>
            <Col span={8}>
              <Statistic title={t('wallet.pending')} value={account.pending} />
            </Col>
            <Col span={8}>
              <Statistic title={t('wallet.balance')} value={account.balance} />
            </Col>
          </Row>
          <h3 className="section-heading history-heading">{t('wallet.history')}</h3>
          <List
            size="small"
            dataSource={account.transfers.edges.map((e) => e.node)}
            locale={{ emptyText: t('wallet.noHistory') }}
            renderItem={(transfer) => <TransferRow transfer={transfer} accountId={account.id} />}
          />
        </>
      )}
    </Card>
  );
}

function TransferRow({ transfer, accountId }: { transfer: Transfer; accountId: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const incoming = transfer.creditAccountId === accountId;
  const held = transfer.phase === 'PENDING';
  const sign = incoming ? '+' : '−';
  return (
    <List.Item
      className={held ? 'transfer transfer-held' : 'transfer'}
      extra={
        <Typography.Text strong type={!held && incoming ? 'success' : undefined} className="transfer-amount">
          {sign}
          {transfer.amount}
        </Typography.Text>
      }
    >
      <List.Item.Meta
        title={
          <>
            {t(`wallet.codes.${transfer.code}`)} <Tag>{t(`wallet.phases.${transfer.phase}`)}</Tag>
            {held ? <Tag color={transfer.state === 'PENDING' ? 'orange' : 'default'}>{t(`wallet.states.${transfer.state}`)}</Tag> : null}
          </>
        }
        description={[formatDateTime(transfer.createdAt, language), transfer.memo ? localizeServerMessage(transfer.memo, language) : null].filter(Boolean).join(' · ')}
      />
    </List.Item>
  );
}
