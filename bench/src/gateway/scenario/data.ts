/**
 * The scenario's static data: a small marketplace whose references loop (a user's reviews
 * name products whose reviews name users …), so a nested query crosses every subgraph
 * several times. Plain arrays, built once; every subgraph and the direct server read them.
 */
export interface UserRecord {
  id: string;
  name: string;
  username: string;
  birthYear: number;
}

export interface ProductRecord {
  upc: string;
  name: string;
  priceCents: number;
  weightGrams: number;
}

export interface StockRecord {
  upc: string;
  inStock: boolean;
}

export interface ReviewRecord {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

const GIVEN = ['安', '博', '辰', '丹'];
const THINGS = ['羽毛球拍', '折叠桌', '投影仪', '电钻', '帐篷', '儿童座椅'];

export const USERS: readonly UserRecord[] = GIVEN.map((given, i) => ({
  id: `u${i + 1}`,
  name: `林${given}`,
  username: `lin_${i + 1}`,
  birthYear: 1950 + i * 7,
}));

export const PRODUCTS: readonly ProductRecord[] = THINGS.map((thing, i) => ({
  upc: `p${i + 1}`,
  name: thing,
  priceCents: 1_000 + i * 750,
  weightGrams: 300 + ((i * 977) % 4_000),
}));

export const STOCK: readonly StockRecord[] = PRODUCTS.map((p, i) => ({ upc: p.upc, inStock: i % 3 !== 0 }));

/** Two reviews per user, spread over the products: most products have one or two. */
export const REVIEWS: readonly ReviewRecord[] = USERS.flatMap((user, u) =>
  [0, 1].map((k) => ({
    id: `r${u * 2 + k + 1}`,
    body: `${user.name} 评价 ${PRODUCTS[(u * 2 + k) % PRODUCTS.length]!.name}：借用方便，归还准时。`,
    authorId: user.id,
    productUpc: PRODUCTS[(u * 2 + k) % PRODUCTS.length]!.upc,
  })),
);

const byKey = <T, K>(rows: readonly T[], key: (row: T) => K) => new Map(rows.map((row) => [key(row), row]));
const groupBy = <T>(rows: readonly T[], key: (row: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
};

export const userById = byKey(USERS, (u) => u.id);
export const productByUpc = byKey(PRODUCTS, (p) => p.upc);
export const stockByUpc = byKey(STOCK, (s) => s.upc);
export const reviewsByAuthor = groupBy(REVIEWS, (r) => r.authorId);
export const reviewsByProduct = groupBy(REVIEWS, (r) => r.productUpc);

/** Depends on two fields the inventory subgraph does not own, so the planner must fetch them first (@requires). */
export function shippingEstimateCents(product: Pick<ProductRecord, 'priceCents' | 'weightGrams'>): number {
  return product.priceCents > 5_000 ? 0 : Math.round(product.weightGrams / 2);
}
