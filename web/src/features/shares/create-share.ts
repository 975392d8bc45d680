/**
 * What the share form does once its fields are valid: seal in this browser, create the share, and
 * say what is still to upload. Either one link for everyone, or (F14) a link per e-mail recipient,
 * each sealed under its own link secret; files are encrypted once, their keys in every link's
 * payload, and uploaded once to the share (protocol `recipientShareFrom`, as the CLI does).
 */
import {
  newShareFile,
  seal,
  sealForRecipients,
  shareLink,
  type SealedForRecipients,
} from "@hushlink/protocol/client";

import type { Me, OrgMembership } from "../../lib/session";
import type { UploadItem } from "../files/transfer";
import { sharesApi } from "./api";
import { keepLinks } from "./kept-links";
import { sealForRecipientsInWorkers, sealInWorker } from "./password-worker";

export interface CreatedShare {
  /** The share's one link; null when every recipient got a link of their own. */
  link: string | null;
  /** With a link per recipient (F14): the share and its organization, to follow each line. */
  recipientLinksOf: { shareId: string; orgId: string; userId: string } | null;
  manageLink: string | null;
  expiresIn: number;
  expiresAt: string;
  maxViews: number | null;
  hasPassword: boolean;
  /** Created signed in: it is listed in the dashboard (and has no manage link). */
  inDashboard: boolean;
  /** Organization-only access: the organization's name. */
  organizationOnly: string | null;
  /** The addresses the link was e-mailed to (empty when none). */
  sentTo: string[];
  /** The recipients may be outside the organization (they need the password). */
  externalRecipients: boolean;
}

/** A created share whose files are still on their way up. */
export interface PendingUpload {
  shareId: string;
  uploadToken: string;
  manageToken: string | null;
  items: UploadItem[];
  share: CreatedShare;
}

export type Phase = "idle" | "hashing" | "encrypting" | "sending";

/** What the form asks to share, its fields checked and the policy applied. */
export interface ShareRequest {
  text: string;
  note: string;
  name: string;
  password: string;
  files: File[];
  expiresIn: number;
  maxViews: number | null;
  me: Me | null;
  /** The organization it is made in (null signed out). */
  org: OrgMembership | null;
  organizationOnly: boolean;
  notifyOnView: boolean;
  showSender: boolean;
  recipients: string[];
  external: boolean;
  requireEmailCode: boolean;
}

/** The share, and its files still to upload (null when there are none). */
export interface ShareMade {
  share: CreatedShare;
  upload: PendingUpload | null;
}

function uploadOf(
  created: { id: string; uploadToken?: string; manageToken?: string },
  items: UploadItem[],
  share: CreatedShare,
): PendingUpload | null {
  if (!created.uploadToken || items.length === 0) return null;
  const { uploadToken, manageToken = null } = created;
  return { shareId: created.id, uploadToken, manageToken, items, share };
}

/** Each file with its own key and blob id, made once for every link that carries it. */
function uploadItems(files: File[]): UploadItem[] {
  return files.map((file) => ({
    file,
    meta: newShareFile({ name: file.name, type: file.type, size: file.size }),
  }));
}

/** One link per recipient (F14): each sealed under its own link secret, kept for Resend. */
export async function createPerRecipient(
  req: ShareRequest & { me: Me; org: OrgMembership },
  setPhase: (phase: Phase) => void,
): Promise<ShareMade> {
  const { me, org, password, recipients } = req;
  setPhase(password ? "hashing" : "encrypting");
  const note = req.note.trim();
  const items = uploadItems(req.files);
  const files = items.map((item) => item.meta);
  const sealed: SealedForRecipients = password
    ? await sealForRecipientsInWorkers(req.text, recipients, password, note, files)
    : await sealForRecipients(req.text, recipients, { ...(note ? { note } : {}), files });
  setPhase("sending");
  const name = req.name.trim();
  const created = await sharesApi.create({
    id: sealed.id,
    recipientLinks: sealed.recipientLinks,
    ...(sealed.blobs ? { blobs: sealed.blobs } : {}),
    expiresIn: req.expiresIn,
    maxViews: req.maxViews,
    ...(name ? { name } : {}),
    orgId: org.id,
    ...(req.organizationOnly ? { access: "organization" } : {}),
    ...(req.notifyOnView ? { notifyOnView: true } : {}),
    ...(req.showSender ? { showSender: true } : {}),
    allowExternalRecipients: req.external,
    // Codes are the server's default for external addresses; only "off" is sent.
    ...(req.external && !req.requireEmailCode ? { requireEmailCode: false } : {}),
  });
  keepLinks(me.user.id, created.id, created.expiresAt, sealed.recipientLinks);
  const share: CreatedShare = {
    link: null,
    recipientLinksOf: { shareId: created.id, orgId: org.id, userId: me.user.id },
    manageLink: null,
    expiresIn: req.expiresIn,
    expiresAt: created.expiresAt,
    maxViews: created.maxViews,
    hasPassword: Boolean(password),
    inDashboard: true,
    organizationOnly: req.organizationOnly ? org.name : null,
    sentTo: recipients,
    externalRecipients: req.external,
  };
  return { share, upload: uploadOf(created, items, share) };
}

/**
 * One link for everyone who has it, without e-mail recipients (the link secret never goes to the
 * server, SPEC §3); with recipients the form makes a link for each instead.
 */
export async function createWithOneLink(
  req: ShareRequest,
  setPhase: (phase: Phase) => void,
): Promise<ShareMade> {
  const { me, org, password } = req;
  setPhase(password ? "hashing" : "encrypting");
  const note = req.note.trim();
  const items = uploadItems(req.files);
  const shareFiles = items.map((item) => item.meta);
  const sealed = password
    ? await sealInWorker(req.text, password, note, shareFiles)
    : await seal(req.text, { ...(note ? { note } : {}), files: shareFiles });
  setPhase("sending");
  const name = req.name.trim();
  const organizationOnly = org !== null && req.organizationOnly;
  const created = await sharesApi.create({
    ...sealed.body,
    expiresIn: req.expiresIn,
    maxViews: req.maxViews,
    ...(name ? { name } : {}),
    ...(org ? { orgId: org.id } : {}),
    ...(organizationOnly ? { access: "organization" } : {}),
    ...(me && req.notifyOnView ? { notifyOnView: true } : {}),
    ...(org && req.showSender ? { showSender: true } : {}),
  });
  const origin = window.location.origin;
  const share: CreatedShare = {
    link: shareLink(origin, sealed.linkSecret),
    recipientLinksOf: null,
    manageLink: created.manageToken
      ? `${origin}/manage/${encodeURIComponent(created.id)}#${created.manageToken}`
      : null,
    expiresIn: req.expiresIn,
    expiresAt: created.expiresAt,
    maxViews: created.maxViews,
    hasPassword: Boolean(password),
    inDashboard: me !== null && !created.manageToken,
    organizationOnly: organizationOnly ? org.name : null,
    sentTo: [],
    externalRecipients: false,
  };
  // The link is shown once every file is up: until then it would not open.
  return { share, upload: uploadOf(created, items, share) };
}
