import { useQuery } from '@apollo/client/react';
import { Button, DatePicker, Empty, Form, Input, Select, Skeleton } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { shanghaiDateKey, useLocalized } from '../../i18n';
import { RESOURCE_KINDS } from '../../shared/kinds';
import { PageTitle } from '../../shared/PageTitle';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { availabilityWindow, listingFilter, pickedDate, pickerValue, readFilters, writeFilters, type DiscoverFilters } from './filters';
import { ListingCard } from './ListingCard';
import { DiscoverCommunities, DiscoverListings } from './operations';

const PAGE_SIZE = 12;

export default function DiscoverPage() {
  const { t } = useTranslation();
  const localized = useLocalized();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const [now] = useState(() => new Date());
  const slotWindow = useMemo(() => availabilityWindow(filters, now), [filters, now]);
  const [text, setText] = useState(filters.text);
  useEffect(() => setText(filters.text), [filters.text]);

  const communities = useQuery(DiscoverCommunities);
  const { data, error, loading, fetchMore } = useQuery(DiscoverListings, {
    variables: { filter: listingFilter(filters), first: PAGE_SIZE, ...slotWindow },
    notifyOnNetworkStatusChange: true,
  });
  const connection = data?.listings;
  const update = (change: Partial<DiscoverFilters>) => setParams(writeFilters({ ...filters, ...change }));

  const [loadingMore, setLoadingMore] = useState(false);
  const loadMore = () => {
    if (!connection?.pageInfo.hasNextPage || loadingMore) return;
    setLoadingMore(true);
    void fetchMore({ variables: { after: connection.pageInfo.endCursor } })
      .catch(() => undefined)
      .finally(() => setLoadingMore(false));
  };
  const sentinel = useInfiniteScroll(loadMore);
  const today = shanghaiDateKey(new Date());

  return (
    <>
      <PageTitle title={t('discover.title')}>{t('discover.title')}</PageTitle>
      <Form layout="vertical" className="filters" role="search" aria-label={t('discover.filters')} onSubmitCapture={(e) => e.preventDefault()}>
        <Form.Item label={t('discover.text')} htmlFor="discover-text">
          <Input.Search
            id="discover-text"
            allowClear
            value={text}
            placeholder={t('discover.textPlaceholder')}
            onChange={(e) => setText(e.target.value)}
            onSearch={(value) => update({ text: value })}
            enterButton={t('discover.search')}
          />
        </Form.Item>
        <Form.Item label={t('discover.kind')} htmlFor="discover-kind">
          <Select
            id="discover-kind"
            allowClear
            value={filters.kind}
            placeholder={t('discover.allKinds')}
            onChange={(kind) => update({ kind: kind ?? null })}
            options={RESOURCE_KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('discover.community')} htmlFor="discover-community">
          <Select
            id="discover-community"
            allowClear
            value={filters.communityId}
            placeholder={t('discover.allCommunities')}
            onChange={(communityId) => update({ communityId: communityId ?? null })}
            options={(communities.data?.communities ?? []).map((c) => ({ value: c.id, label: localized(c.name, c.nameEn) }))}
          />
        </Form.Item>
        <Form.Item label={t('discover.dates')} htmlFor="discover-dates">
          <DatePicker.RangePicker
            id={{ start: 'discover-dates', end: 'discover-dates-end' }}
            allowEmpty={[true, true]}
            value={[pickerValue(filters.from), pickerValue(filters.to)]}
            disabledDate={(day) => day.format('YYYY-MM-DD') < today}
            onChange={(range) => update({ from: pickedDate(range?.[0]), to: pickedDate(range?.[1]) })}
            placeholder={[t('discover.from'), t('discover.to')]}
          />
        </Form.Item>
      </Form>

      {error ? <ProblemAlert error={error} /> : null}
      {!connection && loading ? <Skeleton active /> : null}
      {connection && connection.edges.length === 0 ? <Empty description={t('discover.none')} /> : null}
      <section aria-label={t('discover.results')} aria-busy={loading}>
        <div className="card-grid">
          {connection?.edges.map(({ node }) => <ListingCard key={node.id} listing={node} />)}
        </div>
      </section>
      {connection?.pageInfo.hasNextPage ? (
        <div className="load-more" ref={sentinel}>
          <Button onClick={loadMore} loading={loadingMore}>
            {t('common.loadMore')}
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** Calls `load` when the element scrolls into view; the button stays for keyboards. */
function useInfiniteScroll(load: () => void) {
  const ref = useRef<HTMLDivElement | null>(null);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) latest.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  });
  return ref;
}
