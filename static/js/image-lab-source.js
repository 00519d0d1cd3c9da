/** The picture source: upload, drop, paste, webcam snapshot or a shipped sample. */
import { getJSON } from "./api.js";
import { $, make } from "./dom.js";
import { t } from "./i18n.js";
import { scheduleRun } from "./image-lab-run.js";
import { control, sampleTitle, showError, state } from "./image-lab-state.js";

/** Take a picture the student gave; `run: false` when the caller runs the layer itself (the first run). */
export function useFile(file, { run = true } = {}) {
  if (!file) {
    return;
  }
  state.file = file;
  state.sourceVersion += 1;
  control("sample").value = "";
  if (run) scheduleRun();
}

export async function startCamera() {
  const box = $("[data-camera]");
  // Browsers offer the camera only to secure pages: a classroom server at http://192.168.… has none. The
  // button stays (the card showed before any script ran, and must not change under the student) and says why.
  if (!navigator.mediaDevices?.getUserMedia) {
    showError(t("img.camera_insecure"));
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    $("[data-camera-video]").srcObject = stream;
    box.hidden = false;
  } catch {
    showError(t("img.camera_denied"));
  }
}

export function stopCamera() {
  const video = $("[data-camera-video]");
  for (const track of video.srcObject ? video.srcObject.getTracks() : []) {
    track.stop();
  }
  video.srcObject = null;
  $("[data-camera]").hidden = true;
}

export function snapshot() {
  const video = $("[data-camera-video]");
  const canvas = make("canvas", { width: video.videoWidth || 320, height: video.videoHeight || 240 });
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  canvas.toBlob((blob) => useFile(blob), "image/png");
}

/** Learn the samples; `reply` is the list's request, or the page's copy of it (start, image-lab.js). The menu
 * itself comes drawn by the server (templates/images.html), so the source card shows with the first paint. */
export async function loadSamples(reply = getJSON("/api/v1/images/samples")) {
  const result = await reply;
  if (!result.ok) {
    showError(t("img.offline"));
    return;
  }
  state.samples = result.data;
  control("sample").value = state.sample;
}

/** Every way a picture comes in: the file button, a drop, a paste, the sample list, the webcam. */
export function wireSource() {
  $("#il-file").addEventListener("change", (event) => useFile(event.target.files[0]));
  const zone = $("[data-drop-zone]");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("il-dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("il-dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("il-dragging");
    useFile(event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const file = [...(event.clipboardData?.files || [])][0];
    if (file) {
      useFile(file);
    }
  });
  control("sample").addEventListener("change", () => {
    if (control("sample").value) {
      state.sample = control("sample").value;
      state.file = null;
      $("#il-file").value = "";
      scheduleRun();
    }
  });
  $('[data-action="camera"]').addEventListener("click", startCamera);
  $('[data-action="camera-stop"]').addEventListener("click", stopCamera);
  $('[data-action="snapshot"]').addEventListener("click", snapshot);
}

/** The sample menu's names in the page's language (its group labels are data-i18n-label, i18n.js). */
export function translateSamples() {
  for (const sample of state.samples) {
    const option = [...control("sample").options].find((o) => o.value === sample.name);
    if (option) option.textContent = sampleTitle(sample);
  }
}
