const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;
const DURATION = /^P(?:[0-9]+W|(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?)?)$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const URI_PART = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
const IP_LITERAL_AUTHORITY = /^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/(?:[^@/?#[\]]*@)?)\[[0-9A-Fa-f:.]+\](.*)$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Whether `text` has the named format (RFC 3339 dates and times, RFC 5321 emails, RFC 1123 hostnames, RFC 3986 URIs, RFC 4122 UUIDs). */
function isFormat(format: string, text: string): boolean {
  switch (format) {
    case "date":
      return isDateText(text);
    case "time":
      return isTimeText(text);
    case "date-time": {
      const [date, time, ...rest] = text.split(/[Tt]/);
      return rest.length === 0 && date !== undefined && time !== undefined && isDateText(date) && isTimeText(time);
    }
    case "duration":
      return DURATION.test(text);
    case "uuid":
      return UUID.test(text);
    case "ipv4":
      return IPV4.test(text);
    case "ipv6":
      return isIpv6Text(text);
    case "hostname":
      return isHostnameText(text);
    case "email":
      return isEmailText(text);
    case "uri":
      return SCHEME.test(text) && isUriReferenceText(text);
    case "uri-reference":
      return isUriReferenceText(text);
    default:
      return true;
  }
}

function isDateText(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function isTimeText(text: string): boolean {
  const match = TIME.exec(text);
  if (match === null) {
    return false;
  }
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [offsetHour, offsetMinute] = [Number(match[5] ?? 0), Number(match[6] ?? 0)];
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

function isHostnameText(text: string): boolean {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  return name.length > 0 && name.length <= 253 && name.split(".").every((label) => LABEL.test(label));
}

function isIpv6Text(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) {
    return false;
  }
  const groups = (part: string | undefined): string[] | undefined => (part === undefined || part === "" ? [] : part.split(":"));
  const head = groups(halves[0]) ?? [];
  const tail = groups(halves[1]) ?? [];
  const all = [...head, ...tail];
  const last = all[all.length - 1];
  const v4 = last !== undefined && last.includes(".");
  if (v4 && !IPV4.test(last)) {
    return false;
  }
  const hex = v4 ? all.slice(0, -1) : all;
  const width = hex.length + (v4 ? 2 : 0);
  if (!hex.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) {
    return false;
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

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

/** RFC 3986's characters, one `#` before the fragment, and brackets only around an IP literal host. */
function isUriReferenceText(text: string): boolean {
  const hash = text.indexOf("#");
  const head = hash < 0 ? text : text.slice(0, hash);
  const fragment = hash < 0 ? "" : text.slice(hash + 1);
  const literal = IP_LITERAL_AUTHORITY.exec(head);
  const rest = literal === null ? head : `${literal[1] ?? ""}${literal[2] ?? ""}`;
  return URI_PART.test(rest) && URI_PART.test(fragment);
}
