/** The intent (from the taxonomy) of a conversation that is a complaint. */
export const COMPLAINT_INTENT = 'support.complaint';
/** Scores at or below this send the conversation to a supervisor. */
export const REVIEW_SCORE_MAX = 2;

/**
 * A rating a supervisor should look at: a low score, or a comment on a conversation whose
 * intent is a complaint.
 */
export function needsReviewFor(rating: {
  score: number;
  comment: string | null;
  intent: string | null;
}): boolean {
  if (rating.score <= REVIEW_SCORE_MAX) return true;
  return Boolean(rating.comment) && rating.intent === COMPLAINT_INTENT;
}
