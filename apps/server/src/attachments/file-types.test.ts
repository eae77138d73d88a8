import { describe, expect, it } from 'vitest';
import { sanitizeAttachmentName, sniffAllowedType } from './file-types.ts';

describe('sanitizeAttachmentName', () => {
  it('keeps a plain name and its matching extension', () => {
    expect(sanitizeAttachmentName('deposit screenshot.PNG', 'image/png')).toBe(
      'deposit screenshot.png',
    );
    expect(sanitizeAttachmentName('收据.jpeg', 'image/jpeg')).toBe('收据.jpeg');
  });
  it('drops any path the client sent', () => {
    expect(sanitizeAttachmentName('../../etc/passwd.pdf', 'application/pdf')).toBe('passwd.pdf');
    expect(sanitizeAttachmentName('C:\\Users\\me\\scan.pdf', 'application/pdf')).toBe('scan.pdf');
  });
  it('ends with the extension of the sniffed type', () => {
    expect(sanitizeAttachmentName('page.html', 'image/png')).toBe('page.html.png');
    expect(sanitizeAttachmentName('noextension', 'application/pdf')).toBe('noextension.pdf');
  });
  it('removes control and bidi-override characters that disguise a name', () => {
    expect(sanitizeAttachmentName('invoice\u202Egnp.exe', 'image/png')).toBe('invoicegnp.exe.png');
    expect(sanitizeAttachmentName('a\u0000b\r\n.gif', 'image/gif')).toBe('ab.gif');
  });
  it('names a nameless file and bounds long names', () => {
    expect(sanitizeAttachmentName('', 'image/webp')).toBe('attachment.webp');
    expect(sanitizeAttachmentName('...', 'image/webp')).toBe('attachment.webp');
    expect(sanitizeAttachmentName(`${'x'.repeat(500)}.pdf`, 'application/pdf')).toHaveLength(120);
  });
});

describe('sniffAllowedType', () => {
  it('recognises an allowed type by its bytes and refuses the rest', async () => {
    expect(await sniffAllowedType(Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'))).toBe(
      'application/pdf',
    );
    expect(await sniffAllowedType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe(
      'image/gif',
    );
    expect(await sniffAllowedType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'))).toBeNull();
    expect(await sniffAllowedType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(await sniffAllowedType(Buffer.alloc(0))).toBeNull();
  });
});
