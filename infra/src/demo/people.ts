import { Role } from '@linli/subgraph-kit';

/** A demo identity `npm start` mints a token for. Nothing about them is stored yet. */
export interface DemoPerson {
  userId: string;
  name: string;
  /** Role as a resident would say it, zh-CN then English. */
  label: string;
  labelEn: string;
  homeCommunityId: string | null;
  roles: Role[];
}

const perCommunity: Array<[communityId: string, resident: string, staff: string, admin: string, security: string]> = [
  ['qibao-a', '王秀英', '陈丽华', '周建平', '马国强'],
  ['qibao-b', '刘德明', '赵海燕', '孙志强', '何建军'],
  ['qibao-c', '张桂兰', '吴晓峰', '郑文静', '高志明'],
];

export const DEMO_PEOPLE: DemoPerson[] = [
  ...perCommunity.flatMap(([communityId, resident, staff, admin, security]): DemoPerson[] => {
    const letter = communityId.slice(-1);
    return [
      { userId: `resident-${letter}`, name: resident, label: '居民', labelEn: 'Resident', homeCommunityId: communityId, roles: [Role.RESIDENT] },
      { userId: `staff-${letter}`, name: staff, label: '社区工作人员', labelEn: 'Community staff', homeCommunityId: communityId, roles: [Role.RESIDENT, Role.COMMUNITY_STAFF] },
      { userId: `admin-${letter}`, name: admin, label: '社区管理员', labelEn: 'Community admin', homeCommunityId: communityId, roles: [Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN] },
      { userId: `security-${letter}`, name: security, label: '安保人员', labelEn: 'Security staff', homeCommunityId: communityId, roles: [Role.SECURITY_STAFF] },
    ];
  }),
  { userId: 'federation-admin', name: '黄振华', label: '七宝镇联邦管理员', labelEn: 'Federation admin (Qibao street office)', homeCommunityId: null, roles: [Role.FEDERATION_ADMIN] },
];
