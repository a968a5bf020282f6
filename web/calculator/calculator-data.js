// What the calculator page knows before its worker starts: the runtime's file sizes (progress),
// the calculator zip, and every region's profile with its summary for the menus. The build fills
// it in (builder/runtime/stage.py). A classic script, so pages opened from file:// can load it too.
window.SHEBAO_CALC = /*@build:calculator@*/null;
