// Placeholder until the exchange subgraph lands: an empty federated schema.
import { buildFederatedSchema } from '@linli/subgraph-kit';
import { Query, Resolver } from 'type-graphql';
@Resolver()
class PlaceholderResolver {
  @Query(() => String)
  exchangeVersion(): string {
    return '0';
  }
}
export const buildExchangeSchema = () => buildFederatedSchema({ resolvers: [PlaceholderResolver] });
