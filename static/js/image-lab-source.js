/** The picture source: upload, drop, paste, webcam snapshot or a shipped sample. */
import { getJSON } from "./api.js";
import { $, $$, make } from "./dom.js";
import { t } from "./i18n.js";
import { scheduleRun } from "./image-lab-run.js";
import { control, sampleTitle, showError, state } from "./image-lab-state.js";

export function useFile(file) {
  if (!file) {
    return;
  }
  state.file = file;
  state.sourceVersion += 1;
  control("sample").value = "";
  scheduleRun();
}

export async function startCamera() {
  const box = $("[data-camera]");
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

/** Fill the sample list; `reply` is the list's request, when the page asked for it early (start, image-lab.js). */
export async function loadSamples(reply = getJSON("/api/v1/images/samples")) {
  const result = await reply;
  const select = control("sample");
  if (!result.ok) {
    showError(t("img.offline"));
    return;
  }
  state.samples = result.data;
  const groups = { patterns: "img.sample_patterns", cifar: "img.sample_cifar" };
  select.replaceChildren(
    make("option", { value: "", textContent: "—" }),
    ...Object.entries(groups).map(([group, key]) =>
      make(
        "optgroup",
        { label: t(key), dataset: { i18nLabel: key } },
        result.data
          .filter((s) => s.group === group)
          .map((s) => make("option", { value: s.name, textContent: sampleTitle(s), dataset: { sample: JSON.stringify(s) } })),
      ),
    ),
  );
  select.value = state.sample;
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
  if (!navigator.mediaDevices?.getUserMedia) {
    $('[data-action="camera"]').hidden = true;
  }
}

/** The sample list's group labels and names in the page's language. */
export function translateSamples() {
  for (const group of $$("optgroup[data-i18n-label]")) {
    group.label = t(group.dataset.i18nLabel);
  }
  for (const option of $$("option[data-sample]")) {
    option.textContent = sampleTitle(JSON.parse(option.dataset.sample));
  }
}
