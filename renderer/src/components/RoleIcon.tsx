import type { ReactNode } from 'react';

/** What each role draws inside the shared 24×24 outline frame. */
const GLYPHS: Readonly<Record<string, ReactNode>> = {
  switch: (
    <>
      <rect x="2.5" y="7" width="19" height="10" rx="2" />
      <path d="M6 12h.01M9 12h.01M12 12h.01M15 12h.01M18 12h.01" strokeWidth="2.2" />
    </>
  ),
  router: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M8 9.5h7l-2-2M16 14.5H9l2 2" />
    </>
  ),
  enclosure: (
    <>
      <rect x="3" y="3" width="18" height="18" rx="2" />
      <path d="M7 6.5v11M10.5 6.5v11M14 6.5v11M17.5 6.5v11" />
    </>
  ),
  interconnect: (
    <>
      <rect x="3" y="8" width="18" height="8" rx="1.5" />
      <path d="M7 8V5M12 8V5M17 8V5M7 16v3M12 16v3M17 16v3" />
    </>
  ),
  hypervisor: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <rect x="6" y="7.5" width="5" height="4" rx=".8" />
      <rect x="13" y="7.5" width="5" height="4" rx=".8" />
      <path d="M6 15.5h12" />
    </>
  ),
  server: (
    <>
      <rect x="4" y="3" width="16" height="7.5" rx="1.5" />
      <rect x="4" y="13.5" width="16" height="7.5" rx="1.5" />
      <path d="M7.5 6.75h.01M7.5 17.25h.01" strokeWidth="2.4" />
    </>
  ),
  host: (
    <>
      <rect x="3" y="4" width="18" height="12" rx="1.5" />
      <path d="M9 20h6M12 16v4" />
    </>
  ),
};

const UNKNOWN_ROLE = <rect x="4" y="4" width="16" height="16" rx="3" />;

/** One glyph per device role, drawn in currentColor so it follows the theme. */
export function RoleIcon({ role, size = 18 }: { role: string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      {Object.hasOwn(GLYPHS, role) ? GLYPHS[role] : UNKNOWN_ROLE}
    </svg>
  );
}
