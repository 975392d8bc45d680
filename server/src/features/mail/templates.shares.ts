/** The messages about shares and requests: to recipients, to senders, to invitees. */
import type { MailData } from "./mail.schemas.js";
import { flag, typedNamesNote, type MailContent, type MailContext } from "./templates.parts.js";

export function shareDelivery(d: MailData["share_delivery"], c: MailContext): MailContent {
  const { i18n } = c;
  const sender = d.senderName ? c.typed(d.senderName) : "";
  const org = d.orgName ? c.typed(d.orgName) : "";
  const intro =
    d.senderName && d.orgName
      ? i18n._({
          id: "mail.shareDelivery.introSenderOrg",
          message:
            "Someone named {sender} of the organization {org} shared a secret with you through Hushlink.",
          values: { sender, org },
        })
      : d.senderName
        ? i18n._({
            id: "mail.shareDelivery.introSender",
            message: "Someone named {sender} shared a secret with you through Hushlink.",
            values: { sender },
          })
        : d.orgName
          ? i18n._({
              id: "mail.shareDelivery.introOrg",
              message:
                "A member of the organization {org} shared a secret with you through Hushlink.",
              values: { org },
            })
          : i18n._({
              id: "mail.shareDelivery.introAnonymous",
              message: "Someone shared a secret with you through Hushlink.",
            });
  const views =
    d.maxViews === null
      ? i18n._({
          id: "mail.shareDelivery.viewsUnlimited",
          message: "It can be opened any number of times until then.",
        })
      : i18n._({
          id: "mail.shareDelivery.views",
          message:
            "{count, plural, =1 {It works once: after you reveal the secret, it is destroyed.} other {It can be opened # times, then the secret is destroyed.}}",
          values: { count: d.maxViews ?? 1 },
        });
  return {
    subject: i18n._({
      id: "mail.shareDelivery.subject",
      message: "Someone shared a secret with you on Hushlink",
    }),
    heading: i18n._({
      id: "mail.shareDelivery.heading",
      message: "A secret was shared with you",
    }),
    paragraphs: [
      intro,
      i18n._({
        id: "mail.shareDelivery.when",
        message: "Open the link when you are ready to copy the secret, then press Reveal.",
      }),
    ],
    action: {
      label: i18n._({ id: "mail.shareDelivery.action", message: "Open the secret" }),
      url: d.linkUrl,
    },
    notes: [
      i18n._({
        id: "mail.shareDelivery.expires",
        message: "The link expires on {time}. {views}",
        values: { time: c.time(d.expiresAt), views },
      }),
      ...(d.passwordProtected
        ? [
            i18n._({
              id: "mail.shareDelivery.password",
              message:
                "You also need a password to open it. It is not in this e-mail: the sender gives it to you another way, by phone or in person for example.",
            }),
          ]
        : []),
      i18n._({
        id: "mail.shareDelivery.unexpected",
        message: "If you did not expect this message, do not open the link and tell the sender.",
      }),
      ...(d.senderName || d.orgName ? [typedNamesNote(c)] : []),
    ],
    orgName: d.orgName,
  };
}

export function shareViewed(d: MailData["share_viewed"], c: MailContext): MailContent {
  const { i18n } = c;
  const subject = i18n._({ id: "mail.shareViewed.subject", message: "Your secret was viewed" });
  return {
    subject,
    heading: subject,
    paragraphs: [
      i18n._({
        id: "mail.shareViewed.viewed",
        message:
          "{hasRecipient, select, yes {The link you sent to {recipient} for your secret} other {Your secret}}{hasName, select, yes { {name}} other {}} was viewed on {time}{hasIp, select, yes { from the address {ip}} other {}}.",
        values: {
          hasRecipient: flag(d.recipient),
          recipient: d.recipient ? c.ltr(d.recipient) : "",
          hasName: flag(d.shareName),
          name: d.shareName ? c.quoted(d.shareName) : "",
          time: c.time(d.viewedAt),
          hasIp: flag(d.ip),
          ip: d.ip ? c.ltr(d.ip) : "",
        },
      }),
      i18n._({
        id: "mail.shareViewed.exposed",
        message:
          "If that was not the person you shared it with, treat the secret as exposed and change it.",
      }),
    ],
    action: d.dashboardUrl
      ? {
          label: i18n._({ id: "mail.shareViewed.action", message: "See the access log" }),
          url: d.dashboardUrl,
        }
      : undefined,
    notes: [
      i18n._({
        id: "mail.shareViewed.why",
        message: "You get this message because you asked to be told when this secret is viewed.",
      }),
    ],
  };
}

export function invitation(d: MailData["invitation"], c: MailContext): MailContent {
  const { i18n } = c;
  const org = c.typed(d.orgName);
  return {
    subject: i18n._({
      id: "mail.invitation.subject",
      message: "Someone invited you to join an organization on Hushlink",
    }),
    heading: i18n._({
      id: "mail.invitation.heading",
      message: "Join an organization on Hushlink",
    }),
    paragraphs: [
      d.inviterName
        ? i18n._({
            id: "mail.invitation.introInviter",
            message:
              "Someone named {inviter} invited you to join the organization {org} on Hushlink, to share secrets with its members.",
            values: { inviter: c.typed(d.inviterName), org },
          })
        : i18n._({
            id: "mail.invitation.introMember",
            message:
              "A member invited you to join the organization {org} on Hushlink, to share secrets with its members.",
            values: { org },
          }),
    ],
    action: {
      label: i18n._({ id: "mail.invitation.action", message: "Accept the invitation" }),
      url: d.acceptUrl,
    },
    notes: [
      i18n._({
        id: "mail.invitation.once",
        message:
          "The invitation link works once and expires. If you did not expect it, ignore this message.",
      }),
      typedNamesNote(c),
    ],
    orgName: d.orgName,
  };
}

export function requestFulfilled(d: MailData["request_fulfilled"], c: MailContext): MailContent {
  const { i18n } = c;
  const subject = i18n._({
    id: "mail.requestFulfilled.subject",
    message: "Your secret request was answered",
  });
  return {
    subject,
    heading: subject,
    paragraphs: [
      i18n._({
        id: "mail.requestFulfilled.submitted",
        message:
          "Someone submitted a secret to your request{hasName, select, yes { {name}} other {}}.",
        values: {
          hasName: flag(d.requestName),
          name: d.requestName ? c.quoted(d.requestName) : "",
        },
      }),
      i18n._({
        id: "mail.requestFulfilled.reveal",
        message: "Reveal it in your dashboard; the request link no longer accepts submissions.",
      }),
    ],
    action: {
      label: i18n._({ id: "mail.requestFulfilled.action", message: "Open the dashboard" }),
      url: d.dashboardUrl,
    },
    notes: [
      i18n._({
        id: "mail.requestFulfilled.stored",
        message: "The secret stays encrypted on the server until you delete the request.",
      }),
    ],
  };
}

/** The code an external recipient types to open the link sent to this address (issue 19). */
export function emailCode(d: MailData["email_code"], c: MailContext): MailContent {
  const { i18n } = c;
  return {
    subject: i18n._({
      id: "mail.emailCode.subject",
      message: "Your code to open a secret on Hushlink",
    }),
    heading: i18n._({ id: "mail.emailCode.heading", message: "Your code to open the secret" }),
    paragraphs: [
      i18n._({
        id: "mail.emailCode.asked",
        message:
          "Someone opened a Hushlink link that was sent to this address and asked for a code to reveal the secret.",
      }),
      i18n._({
        id: "mail.emailCode.code",
        message: "Your code: {code}",
        values: { code: c.ltr(d.code) },
      }),
      i18n._({
        id: "mail.emailCode.validity",
        message:
          "It works until {time} ({minutes, plural, one {# minute} other {# minutes}}) and for one reveal. You still need the password the sender gave you.",
        values: { time: c.time(d.expiresAt), minutes: 10 },
      }),
    ],
    notes: [
      i18n._({
        id: "mail.emailCode.notYou",
        message:
          "If you did not ask for a code, someone else has your link: do not share this code, and tell the sender.",
      }),
    ],
  };
}
