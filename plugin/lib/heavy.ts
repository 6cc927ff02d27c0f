/**
 * Libraries only some requests need (charts, spreadsheets, PDFs, images, QR codes, rich text), loaded on first
 * use. The module lives inside the host's process: a host that never draws a chart or writes a
 * spreadsheet should not carry them. Each costs 10–30 MB of RSS once loaded; together they were a
 * third of the process's size before a 50,000-row ledger import began.
 */
import type * as EChartsLib from 'echarts';
import type ExcelJSLib from 'exceljs';
import type PDFDocumentLib from 'pdfkit';
import type QRCodeLib from 'qrcode';
import type SanitizeHtmlLib from 'sanitize-html';
import type SharpLib from 'sharp';
import type SVGtoPDFLib from 'svg-to-pdfkit';

function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/* eslint-disable @typescript-eslint/no-require-imports -- a deferred require is the point of this file */
export const echarts = once(() => require('echarts') as typeof EChartsLib);
export const exceljs = once(() => require('exceljs') as typeof ExcelJSLib);
export const pdfkit = once(() => require('pdfkit') as typeof PDFDocumentLib);
export const qrcode = once(() => require('qrcode') as typeof QRCodeLib);
export const sanitizeHtml = once(() => require('sanitize-html') as typeof SanitizeHtmlLib);
export const sharp = once(() => require('sharp') as typeof SharpLib);
export const svgToPdfkit = once(() => require('svg-to-pdfkit') as typeof SVGtoPDFLib);
