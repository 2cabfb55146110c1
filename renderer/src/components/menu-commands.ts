import type { MenuCommand } from '../../../electron/host/contract.ts';
import { selectDirty, useLab } from '../stores/lab-store.ts';
import { useUi } from '../stores/ui-store.ts';

/** Opens a file picker for a lab file; the desktop menu and the Import button share it. */
export function pickLabFile(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.yaml,.yml';
  input.onchange = () => {
    const file = input.files?.[0];
    if (file) void useLab.getState().importFromDisk(file);
  };
  input.click();
}

/** Carries out a desktop File-menu choice; native dialogs already ran in the main process. */
export function runMenuCommand(cmd: MenuCommand): void {
  const lab = useLab.getState();
  switch (cmd.command) {
    case 'new':
      useUi.getState().openDialog('new');
      return;
    case 'open':
      if (!selectDirty(lab) || window.confirm('The current lab has unsaved changes. Discard them?')) void lab.open(cmd.id);
      return;
    case 'save':
      void lab.save();
      return;
    case 'saveAs':
      void lab.saveAs(cmd.path);
      return;
    case 'import':
      pickLabFile();
      return;
    case 'export':
      void lab.exportFile();
      return;
  }
}
