import { useQuery } from '@apollo/client/react';
import { Avatar, Button, Card, Empty, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth';
import { readClaims } from '../../auth/claims';
import { useRuntimeConfig } from '../../config/RuntimeConfigProvider';
import type { DemoIdentity } from '../../config/runtime';
import { graphql } from '../../gql';
import { useLocalized } from '../../i18n';
import { PageTitle } from '../../shared/PageTitle';

const SignInCommunities = graphql(`
  query SignInCommunities {
    communities {
      id
      name
      nameEn
    }
  }
`);

/**
 * Sign-in for the demo: pick a person. Their token comes from the demo launcher; a real
 * deployment replaces this page with its OIDC redirect and hands the token to `signIn`.
 */
export default function SignInPage() {
  const { t } = useTranslation();
  const localized = useLocalized();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { signIn } = useAuth();
  const { demoIdentities } = useRuntimeConfig();
  const { data } = useQuery(SignInCommunities);
  const communityName = (id: string | null) => {
    if (!id) return t('auth.federation');
    const community = data?.communities.find((c) => c.id === id);
    return community ? localized(community.name, community.nameEn) : id;
  };
  const groups = groupByCommunity(demoIdentities);

  const choose = (identity: DemoIdentity) => {
    if (signIn(identity.token, identity.name)) {
      const next = params.get('next');
      void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
    }
  };

  return (
    <>
      <PageTitle title={t('auth.title')}>{t('auth.title')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('auth.demoHint')}</Typography.Paragraph>
      {groups.length === 0 ? <Empty description={t('auth.noIdentities')} /> : null}
      <div className="card-grid">
        {groups.map(([communityId, identities]) => (
          <Card key={communityId ?? 'federation'} title={<h2 className="card-heading">{communityName(communityId)}</h2>} size="small">
            <List
              dataSource={identities}
              renderItem={(identity) => (
                <List.Item
                  actions={[
                    <Button key="use" type="primary" onClick={() => choose(identity)} aria-label={`${t('auth.use')}: ${identity.name}`}>
                      {t('auth.use')}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    avatar={<Avatar aria-hidden="true">{identity.name.slice(0, 1)}</Avatar>}
                    title={identity.name}
                    description={<Tag>{localized(identity.label, identity.labelEn)}</Tag>}
                  />
                </List.Item>
              )}
            />
          </Card>
        ))}
      </div>
    </>
  );
}

function groupByCommunity(identities: DemoIdentity[]): Array<[string | null, DemoIdentity[]]> {
  const groups = new Map<string | null, DemoIdentity[]>();
  for (const identity of identities) {
    const home = readClaims(identity.token)?.homeCommunityId ?? null;
    groups.set(home, [...(groups.get(home) ?? []), identity]);
  }
  return [...groups.entries()];
}
