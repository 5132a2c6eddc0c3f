import { ArrayMaxSize, IsIn, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { ExceptionKind } from './availability.entity.js';
import { ResourceKind } from './resource.entity.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

@InputType()
export class WeeklyHoursInput {
  @Field(() => Int) @IsInt() @Min(1) @Max(7)
  weekday: number;

  @Field(() => String) @Matches(HHMM)
  opensAt: string;

  @Field(() => String) @Matches(HHMM)
  closesAt: string;
}

@InputType()
export class BookingPolicyInput {
  @Field(() => Boolean, { nullable: true }) @IsOptional()
  requiresApproval?: boolean;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(15) @Max(24 * 60)
  slotMinutes?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(15) @Max(7 * 24 * 60)
  minDurationMinutes?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(15) @Max(7 * 24 * 60)
  maxDurationMinutes?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(60 * 24 * 30)
  leadTimeMinutes?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(365)
  maxDaysAhead?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  priceCreditsPerSlot?: number;
}

@InputType({ description: '新建共享资源 (A new shared resource)' })
export class CreateResourceInput {
  @Field(() => String) @Length(1, 100)
  name: string;

  @Field(() => String) @Length(1, 200)
  nameEn: string;

  @Field(() => ResourceKind) @IsIn(Object.values(ResourceKind))
  kind: ResourceKind;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 2000)
  description?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 4000)
  descriptionEn?: string;

  @Field(() => String) @Length(1, 200)
  location: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 400)
  locationEn?: string;

  @Field(() => Int) @IsInt() @Min(1) @Max(100_000)
  capacity: number;

  @Field(() => BookingPolicyInput, { nullable: true }) @IsOptional() @ValidateNested()
  policy?: BookingPolicyInput;

  @Field(() => [WeeklyHoursInput]) @ArrayMaxSize(50) @ValidateNested({ each: true })
  weeklyHours: WeeklyHoursInput[];
}

@InputType({ description: '特殊日期安排 (A dated closure or extra opening)' })
export class AvailabilityExceptionInput {
  @Field(() => String) @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date: string;

  @Field(() => ExceptionKind) @IsIn(Object.values(ExceptionKind))
  kind: ExceptionKind;

  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM)
  opensAt?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM)
  closesAt?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 200)
  reason?: string;

  @Field(() => String, { nullable: true }) @IsOptional() @Length(0, 400)
  reasonEn?: string;
}
