/** The raw material of the synthetic company: departments, names, positions. Data only. */

export interface DepartmentSpec {
  id: string;
  name: string;
  /** Relative head count. */
  weight: number;
  /** Chance that someone here works shifts (一线倒班). */
  shift: number;
  /** Chance that someone here is posted abroad (外派). */
  expatriate: number;
  /** Chance that someone here is a man; production floors lean male. */
  male: number;
  positions: readonly string[];
}

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  { id: 'D01', name: '生产一车间', weight: 22, shift: 0.75, expatriate: 0, male: 0.7, positions: ['操作工', '操作工', '操作工', '设备操作员', '技术员', '班组长'] },
  { id: 'D02', name: '生产二车间', weight: 20, shift: 0.75, expatriate: 0, male: 0.7, positions: ['操作工', '操作工', '操作工', '设备操作员', '技术员', '班组长'] },
  { id: 'D03', name: '质检部', weight: 7, shift: 0.3, expatriate: 0, male: 0.45, positions: ['质检员', '质检员', '质量工程师', '检验组长'] },
  { id: 'D04', name: '仓储物流部', weight: 8, shift: 0.4, expatriate: 0, male: 0.7, positions: ['仓管员', '叉车司机', '物流专员', '调度员'] },
  { id: 'D05', name: '销售部', weight: 9, shift: 0, expatriate: 0.02, male: 0.55, positions: ['销售代表', '销售代表', '客户经理', '销售主管'] },
  { id: 'D06', name: '研发中心', weight: 8, shift: 0, expatriate: 0.01, male: 0.65, positions: ['研发工程师', '高级工程师', '测试工程师', '工艺工程师'] },
  { id: 'D07', name: '人力资源部', weight: 3, shift: 0, expatriate: 0, male: 0.35, positions: ['人事专员', '招聘专员', '薪酬专员', '人事经理'] },
  { id: 'D08', name: '财务部', weight: 3, shift: 0, expatriate: 0, male: 0.3, positions: ['会计', '出纳', '财务分析师', '财务经理'] },
  { id: 'D09', name: '行政部', weight: 3, shift: 0, expatriate: 0, male: 0.4, positions: ['行政专员', '前台', '司机', '行政主管'] },
  { id: 'D10', name: '设备维修部', weight: 7, shift: 0.4, expatriate: 0, male: 0.85, positions: ['维修电工', '钳工', '设备工程师', '维修班长'] },
  { id: 'D11', name: '海外项目部', weight: 6, shift: 0, expatriate: 0.9, male: 0.75, positions: ['项目经理', '现场工程师', '现场工程师', '翻译', '商务专员'] },
  { id: 'D12', name: '信息技术部', weight: 4, shift: 0, expatriate: 0, male: 0.7, positions: ['系统管理员', '软件工程师', '网络工程师'] },
];

export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '潘', '袁', '蔡', '蒋', '余',
  '于', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '卢', '姚', '沈', '钟', '姜', '崔', '谭', '陆', '范', '汪', '廖',
  '石', '金', '贾', '夏', '韦', '方', '邹', '熊', '白', '孟', '秦', '邱', '侯', '江', '尹', '薛', '段', '雷', '龙', '史',
  '陶', '贺', '毛', '郝', '顾', '龚', '邵', '万', '武', '钱', '戴', '严', '欧阳', '司马', '诸葛',
];

export const GIVEN_MALE: readonly string[] = [
  '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '斌', '宇',
  '浩', '凯', '健', '俊', '帆', '旭', '宁', '龙', '林', '博', '文', '志', '建', '国', '东', '海', '峰', '成', '亮', '晨',
  '阳', '睿', '轩', '哲', '昊', '振', '德', '永', '春', '庆',
];

export const GIVEN_FEMALE: readonly string[] = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '燕', '萍', '红', '梅', '莉', '婷', '雪', '琳', '慧',
  '颖', '倩', '洁', '晶', '欣', '怡', '佳', '雨', '月', '琴', '瑶', '璐', '丹', '蕾', '薇', '悦', '妍', '婧', '春', '兰',
];

/** Region prefixes for the masked ID numbers; the middle is always starred out, so none is a real ID. */
export const ID_REGIONS: readonly string[] = ['320102', '320211', '310104', '330106', '440305', '110105', '370202', '420106', '510107', '610113'];

export const EXIT_REASONS: readonly string[] = ['个人原因', '合同到期', '辞职', '家庭原因', '协商解除'];

/** Demo sign-ins with fixed ids; real rows in host_employees so the module can read them. */
export const DEMO_USERS = [
  { id: 'admin', employeeNo: 'DEMO-ADMIN', name: '周建国', gender: 'M', departmentId: 'D12', position: '系统管理员', birthDate: '1980-05-12', hireDate: '2008-07-01', roles: ['admin'] },
  { id: 'u_staff', employeeNo: 'DEMO-STAFF', name: '李慧敏', gender: 'F', departmentId: 'D09', position: '工会干事', birthDate: '1988-09-03', hireDate: '2012-03-15', roles: ['union_staff'] },
  { id: 'u_chair', employeeNo: 'DEMO-CHAIR', name: '张志强', gender: 'M', departmentId: 'D09', position: '工会主席', birthDate: '1972-11-20', hireDate: '2001-09-01', roles: ['union_chair'] },
  { id: 'u_emp', employeeNo: 'DEMO-EMP', name: '王小明', gender: 'M', departmentId: 'D01', position: '操作工', birthDate: '1999-04-18', hireDate: '2024-03-01', roles: [] },
] as const;
