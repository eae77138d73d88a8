/** Console strings of the "email the transcript" action in a conversation, English. */
export const transcriptEn = {
  action: 'Email the transcript to the customer',
  sent: 'Transcript sent to {{email}}.',
};
