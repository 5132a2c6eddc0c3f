import type { ErrorLike } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskCatalogueQuery, ListingAudience } from '../../gql/graphql';
import { useProblem } from '../../graphql/useProblem';
import { formatDateTime, useLanguage, useLocalized } from '../../i18n';
import { newIdempotencyKey } from '../../shared/ids';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { DeskCatalogue, DeskCommunities, PublishListing, WithdrawListing } from './operations';

type Resource = NonNullable<DeskCatalogueQuery['resources']>['edges'][number]['node'];

/** The community's resources and whether each is offered to the federation. */
export function Catalogue({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const localized = useLocalized();
  const { message } = App.useApp();
  const describe = useProblem();
  const { data, error, loading, refetch } = useQuery(DeskCatalogue, { variables: { communityId } });
  const [withdraw] = useMutation(WithdrawListing);
  const [publishing, setPublishing] = useState<Resource | null>(null);
  const resources = (data?.resources?.edges ?? []).map((e) => e.node);
  const listings = (data?.listings.edges ?? []).map((e) => e.node).filter((l) => l.status === 'PUBLISHED');

  const onWithdraw = async (listingId: string) => {
    try {
      await withdraw({ variables: { id: listingId } });
      void message.success(t('desk.withdrawn'));
    } catch (caught) {
      void message.error(describe(caught as ErrorLike).message);
    } finally {
      void refetch().catch(() => undefined);
    }
  };

  return (
    <section aria-label={t('desk.listings')}>
      {error ? <ProblemAlert error={error} /> : null}
      {!data && loading ? <Skeleton active /> : null}
      {data && resources.length === 0 ? <Empty description={t('desk.noResources')} /> : null}
      <div className="card-grid">
        {resources.map((resource) => {
          const listing = listings.find((l) => l.resourceId === resource.id);
          const name = localized(resource.name, resource.nameEn);
          return (
            <Card key={resource.id} size="small" data-resource-id={resource.id} title={<h3 className="card-heading">{name}</h3>}>
              <Space direction="vertical" size={6} style={{ width: '100%' }}>
                <Space wrap size={[4, 4]}>
                  <Tag>{t(`kinds.${resource.kind}`)}</Tag>
                  {listing ? <Tag color="green">{t('desk.published')}</Tag> : <Tag>{t('desk.notPublished')}</Tag>}
                  {resource.status !== 'ACTIVE' ? <Tag color="red">{t(`desk.resourceStatus.${resource.status}`)}</Tag> : null}
                </Space>
                {listing ? (
                  <Typography.Text type="secondary">
                    {t('desk.listedAs', { title: localized(listing.title, listing.titleEn), when: formatDateTime(listing.publishedAt, language) })}
                  </Typography.Text>
                ) : null}
                {listing ? (
                  <Popconfirm
                    title={t('desk.withdrawConfirm', { name })}
                    okText={t('desk.withdraw')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => onWithdraw(listing.id)}
                  >
                    <Button danger>{t('desk.withdraw')}</Button>
                  </Popconfirm>
                ) : (
                  <Button type="primary" disabled={resource.status !== 'ACTIVE'} onClick={() => setPublishing(resource)}>
                    {t('desk.publish')}
                  </Button>
                )}
              </Space>
            </Card>
          );
        })}
      </div>
      {publishing ? (
        <PublishDialog
          communityId={communityId}
          resource={publishing}
          onClose={() => {
            setPublishing(null);
            void refetch().catch(() => undefined);
          }}
        />
      ) : null}
    </section>
  );
}

interface PublishForm {
  title: string;
  titleEn: string;
  summary?: string;
  summaryEn?: string;
  priceCreditsPerSlot: number;
  fullRefundHoursBefore: number;
  lateCancellationRefundPercent: number;
  bookableBy: ListingAudience;
  allowedCommunityIds?: string[];
}

function PublishDialog({ communityId, resource, onClose }: { communityId: string; resource: Resource; onClose(): void }) {
  const { t } = useTranslation();
  const localized = useLocalized();
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishForm>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [publish, { loading }] = useMutation(PublishListing);
  const [error, setError] = useState<ErrorLike | null>(null);
  const communities = useQuery(DeskCommunities);
  const audience = Form.useWatch('bookableBy', form);

  const submit = async (values: PublishForm) => {
    setError(null);
    try {
      await publish({
        variables: {
          input: {
            communityId,
            resourceId: resource.id,
            kind: resource.kind,
            title: values.title.trim(),
            titleEn: values.titleEn.trim(),
            summary: values.summary?.trim() || null,
            summaryEn: values.summaryEn?.trim() || null,
            priceCreditsPerSlot: values.priceCreditsPerSlot,
            fullRefundHoursBefore: values.fullRefundHoursBefore,
            lateCancellationRefundPercent: values.lateCancellationRefundPercent,
            bookableBy: values.bookableBy,
            allowedCommunityIds: values.bookableBy === 'SELECTED_COMMUNITIES' ? (values.allowedCommunityIds ?? []) : null,
            idempotencyKey,
          },
        },
      });
      void message.success(t('desk.publishedDone'));
      onClose();
    } catch (caught) {
      setError(caught as ErrorLike);
    }
  };

  return (
    <Modal open title={t('desk.publishTitle', { name: localized(resource.name, resource.nameEn) })} okText={t('desk.publish')} okButtonProps={{ loading }} onOk={() => form.submit()} onCancel={onClose}>
      <Form<PublishForm>
        form={form}
        name="publish"
        layout="vertical"
        initialValues={{
          title: resource.name,
          titleEn: resource.nameEn,
          summary: resource.description,
          summaryEn: resource.descriptionEn,
          priceCreditsPerSlot: resource.policy.priceCreditsPerSlot,
          fullRefundHoursBefore: 24,
          lateCancellationRefundPercent: 50,
          bookableBy: 'ALL_COMMUNITIES',
        }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="title" label={t('desk.form.title')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="titleEn" label={t('desk.form.titleEn')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input lang="en" />
        </Form.Item>
        <Form.Item name="summary" label={t('desk.form.summary')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="summaryEn" label={t('desk.form.summaryEn')} rules={[{ max: 4000 }]}>
          <Input.TextArea rows={2} lang="en" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="priceCreditsPerSlot" label={t('desk.form.price', { minutes: resource.policy.slotMinutes })} rules={[{ required: true }]}>
            <InputNumber min={0} max={1_000_000} precision={0} />
          </Form.Item>
          <Form.Item name="fullRefundHoursBefore" label={t('desk.form.fullRefund')} rules={[{ required: true }]}>
            <InputNumber min={0} max={24 * 60} precision={0} />
          </Form.Item>
          <Form.Item name="lateCancellationRefundPercent" label={t('desk.form.lateRefund')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="bookableBy" label={t('desk.form.audience')}>
          <Select
            options={[
              { value: 'ALL_COMMUNITIES', label: t('desk.form.allCommunities') },
              { value: 'SELECTED_COMMUNITIES', label: t('desk.form.selectedCommunities') },
            ]}
          />
        </Form.Item>
        {audience === 'SELECTED_COMMUNITIES' ? (
          <Form.Item name="allowedCommunityIds" label={t('desk.form.allowed')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select
              mode="multiple"
              options={(communities.data?.communities ?? []).filter((c) => c.id !== communityId).map((c) => ({ value: c.id, label: localized(c.name, c.nameEn) }))}
            />
          </Form.Item>
        ) : null}
      </Form>
      {error ? <ProblemAlert error={error} /> : null}
    </Modal>
  );
}
