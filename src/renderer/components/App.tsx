// The window: a header (who we are, settings), then devices and transfers, or settings.
import { useT } from '../hooks/useT';
import { setView, useApp } from '../store/app';
import { BackIcon, GearIcon, LogoIcon, WifiIcon } from './Icons';
import { OfferDialogHost } from './OfferDialog';
import { PeerGrid } from './PeerGrid';
import { Settings } from './Settings';
import { Toasts } from './Toasts';
import { TransferList } from './TransferList';

function Header() {
  const t = useT();
  const view = useApp((s) => s.view);
  const name = useApp((s) => s.settings?.deviceName ?? s.identity?.name ?? '');
  return (
    <header className="topbar">
      <div className="brand">
        <LogoIcon className="icon logo" />
        <div>
          <h1>{t('app.name')}</h1>
          <p className="muted small">{t('app.you', { name })}</p>
        </div>
      </div>
      {view === 'home' ? (
        <button type="button" className="button ghost" onClick={() => setView('settings')}>
          <GearIcon className="icon icon-sm" />
          {t('nav.settings')}
        </button>
      ) : (
        <button type="button" className="button ghost" onClick={() => setView('home')}>
          <BackIcon className="icon icon-sm" />
          {t('nav.back')}
        </button>
      )}
    </header>
  );
}

function OfflineBanner() {
  const t = useT();
  const offline = useApp((s) => !s.online || (s.discoveryHint !== null && s.discoveryHint.interfaces.length === 0));
  if (!offline) return null;
  return (
    <p className="banner" role="status">
      <WifiIcon className="icon icon-sm" />
      {t('net.offline')}
    </p>
  );
}

export function App() {
  const t = useT();
  const phase = useApp((s) => s.phase);
  const loadError = useApp((s) => s.loadError);
  const view = useApp((s) => s.view);
  if (phase === 'loading') return <div className="splash" aria-busy="true">{t('app.loading')}</div>;
  if (phase === 'failed')
    return (
      <div className="splash" role="alert">
        <p>{t('app.loadFailed')}</p>
        <p className="muted small">{loadError}</p>
      </div>
    );
  return (
    <>
      <Header />
      <OfflineBanner />
      {/* keyed by view: a fresh scroll position for each screen */}
      <main key={view} className={`content view-${view}`}>
        {view === 'home' ? (
          <>
            <PeerGrid />
            <TransferList />
          </>
        ) : (
          <Settings />
        )}
      </main>
      <OfferDialogHost />
      <Toasts />
    </>
  );
}
