const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;

const DURATION = /^P(?:[0-9]+W|(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)$/;

const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** RFC 1123 labels of 1 to 63 letters, digits and inner hyphens, dot-separated; 1 to 253 characters besides one final dot. */
const HOSTNAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

const URI_PART = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

const IP_LITERAL_AUTHORITY = /^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/(?:[^@/?#[\]]*@)?)\[[0-9A-Fa-f:.]+\](.*)$/;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** `format: date` (RFC 3339 full-date). */
function isDateText(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) {
    return false;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** `format: time` (RFC 3339 full-time). */
function isTimeText(text: string): boolean {
  const match = TIME.exec(text);
  if (match === null) {
    return false;
  }
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3]);
  const offsetHour = Number(match[5] ?? 0);
  const offsetMinute = Number(match[6] ?? 0);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) {
    return false;
  }
  if (second < 60) {
    return true;
  }
  // A leap second is 23:59:60 in UTC.
  const sign = match[4] === "-" ? -1 : 1;
  const utc = (((hour * 60 + minute - sign * (offsetHour * 60 + offsetMinute)) % 1440) + 1440) % 1440;
  return utc === 23 * 60 + 59;
}

/** `format: date-time` (RFC 3339): a date, `T`, a time. A date is 10 characters. */
function isDateTimeText(text: string): boolean {
  const separator = text.charAt(10);
  return (separator === "T" || separator === "t") && isDateText(text.slice(0, 10)) && isTimeText(text.slice(11));
}

/** `format: duration` (RFC 3339 appendix A). */
function isDurationText(text: string): boolean {
  return DURATION.test(text);
}

/** `format: uuid` (RFC 4122): 32 hexadecimal digits in groups of 8, 4, 4, 4 and 12, hyphen-separated. */
function isUuidText(text: string): boolean {
  if (text.length !== 36) {
    return false;
  }
  for (let index = 0; index < 36; index++) {
    const code = text.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 0x2d) {
        return false;
      }
    } else if (!((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66))) {
      return false;
    }
  }
  return true;
}

/** `format: ipv4`: four decimal octets. */
function isIpv4Text(text: string): boolean {
  return IPV4.test(text);
}

/** `format: ipv6` (RFC 4291 text form, an IPv4 tail allowed). */
function isIpv6Text(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) {
    return false;
  }
  const groups = (part: string | undefined): string[] => (part === undefined || part === "" ? [] : part.split(":"));
  const all = [...groups(halves[0]), ...groups(halves[1])];
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes(".");
  if (v4 && !IPV4.test(last)) {
    return false;
  }
  const hex = v4 ? all.slice(0, -1) : all;
  const width = hex.length + (v4 ? 2 : 0);
  if (!hex.every((group) => HEX_GROUP.test(group))) {
    return false;
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

/** `format: hostname` (RFC 1123). */
function isHostnameText(text: string): boolean {
  return HOSTNAME.test(text);
}

/** `format: email` (RFC 5321 mailbox: a dot-atom local part, a hostname or an address literal). */
function isEmailText(text: string): boolean {
  const at = text.lastIndexOf("@");
  if (at <= 0) {
    return false;
  }
  const [local, domain] = [text.slice(0, at), text.slice(at + 1)];
  if (!LOCAL_PART.test(local) || local.length > 64) {
    return false;
  }
  if (domain.startsWith("[") && domain.endsWith("]")) {
    const literal = domain.slice(1, -1);
    return IPV4.test(literal) || (literal.startsWith("IPv6:") && isIpv6Text(literal.slice(5)));
  }
  return isHostnameText(domain);
}

/** `format: uri-reference` (RFC 3986): its characters, one `#` before the fragment, and brackets only around an IP literal host. */
function isUriReferenceText(text: string): boolean {
  const hash = text.indexOf("#");
  if (hash >= 0 && !URI_PART.test(text.slice(hash + 1))) {
    return false;
  }
  const head = hash < 0 ? text : text.slice(0, hash);
  const literal = head.includes("[") ? IP_LITERAL_AUTHORITY.exec(head) : null;
  return URI_PART.test(literal === null ? head : `${literal[1] ?? ""}${literal[2] ?? ""}`) && isValidAuthority(head);
}

/** The authority of a URI reference (`scheme://authority`, `//authority`). */
const AUTHORITY = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/([^/?#]*)/;

/** Whether a URI reference's authority, if it has one, keeps RFC 3986's rules beyond its characters: at most one `@`, and a port of digits. */
function isValidAuthority(head: string): boolean {
  const authority = AUTHORITY.exec(head)?.[1];
  if (authority === undefined) {
    return true;
  }
  const at = authority.lastIndexOf("@");
  if (authority.indexOf("@") !== at) {
    return false;
  }
  const hostPort = authority.slice(at + 1);
  const afterHost = hostPort.startsWith("[") ? hostPort.slice(hostPort.indexOf("]") + 1) : hostPort;
  const colon = afterHost.indexOf(":");
  return colon < 0 || /^[0-9]*$/.test(afterHost.slice(colon + 1));
}

/** `format: uri` (RFC 3986): a URI reference with a scheme. */
function isUriText(text: string): boolean {
  return SCHEME.test(text) && isUriReferenceText(text);
}
