declare module 'email-reply-parser' {
  /** email-reply-parser 2.1 ships no types: the part Kefu uses. */
  export default class EmailReplyParser {
    parseReply(text: string): string;
    parseReplied(text: string): string;
  }
}
