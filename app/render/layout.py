"""Where everything goes on the canvas, in pixels; computed once per picture.

Input channels stack in a column on the left, output maps in a column on the right, the
caption runs underneath. Tests use `input_cell` and `output_cell` to sample colours.
"""

from dataclasses import dataclass

Box = tuple[int, int, int, int]  # left, top, right, bottom (right/bottom are the next cell's edge)


@dataclass(frozen=True)
class Layout:
    cell: int
    grid_shape: tuple[int, int, int]  # input channels, Hp, Wp
    output_shape: tuple[int, int, int]  # maps, Ho, Wo
    margin: int
    label_height: int
    line_height: int
    caption_lines: int
    caption_width: int

    @property
    def _input_width(self) -> int:
        return self.grid_shape[2] * self.cell

    @property
    def _output_left(self) -> int:
        return self.margin + self._input_width + self.cell

    def _stack_height(self, rows: int, count: int) -> int:
        return count * (self.label_height + rows * self.cell) + (count - 1) * (self.margin // 2)

    @property
    def caption_top(self) -> int:
        grids = max(
            self._stack_height(self.grid_shape[1], self.grid_shape[0]),
            self._stack_height(self.output_shape[1], self.output_shape[0]),
        )
        return self.margin + grids + self.margin // 2

    @property
    def width(self) -> int:
        grids = self._output_left + self.output_shape[2] * self.cell + self.margin
        return max(grids, 2 * self.margin + self.caption_width) + 1

    @property
    def height(self) -> int:
        return self.caption_top + self.caption_lines * self.line_height + self.margin // 2 + 1

    def input_label(self, channel: int) -> tuple[int, int]:
        return self.margin, self.margin + channel * (self._stack_height(self.grid_shape[1], 1) + self.margin // 2)

    def output_label(self, index: int) -> tuple[int, int]:
        step = self._stack_height(self.output_shape[1], 1) + self.margin // 2
        return self._output_left, self.margin + index * step

    def input_cell(self, channel: int, row: int, col: int) -> Box:
        x, y = self.input_label(channel)
        return self._box(x, y + self.label_height, row, col)

    def output_cell(self, index: int, row: int, col: int) -> Box:
        x, y = self.output_label(index)
        return self._box(x, y + self.label_height, row, col)

    def _box(self, x: int, y: int, row: int, col: int) -> Box:
        left, top = x + col * self.cell, y + row * self.cell
        return left, top, left + self.cell, top + self.cell


def make_layout(
    cell: int,
    grid_shape: tuple[int, int, int],
    output_shape: tuple[int, int, int],
    caption_lines: int,
    caption_width: int,
) -> Layout:
    return Layout(
        cell=cell,
        grid_shape=grid_shape,
        output_shape=output_shape,
        margin=max(12, cell // 2),
        label_height=max(16, round(cell * 0.55)),
        line_height=max(14, round(cell * 0.5)),
        caption_lines=caption_lines,
        caption_width=caption_width,
    )
